// A hostile (or broken) endpoint may report any count up to MAX_TOKENS_PER_ANSWER for one short
// answer: such a usage is kept and summed, but the row is flagged "usage implausible" when the
// count is more than its text could take — over 4 tokens a character plus a slack (64 for an
// answer, 1,024 for a prompt; engine/types.ts TOKENS_PER_CHAR says why) — so the run can say
// its tokens and cost may be inflated.
import { describe, expect, it } from 'vitest';
import { toCompletion } from '../../../src/lib/engine/chat-client.ts';
import { answerRow } from '../../../src/lib/engine/run-units.ts';
import { MAX_TOKENS_PER_ANSWER, tokensImplausible, USAGE_IMPLAUSIBLE, usageImplausible, usageImplausibleRows, usageImplausibleText, type ResultRow, type WorkUnit } from '../../../src/lib/engine/types.ts';

const ANSWER = 'def f():\n    return 1\n'; // 22 characters
const body = (usage: unknown, content = ANSWER) => ({ choices: [{ message: { content }, finish_reason: 'stop' }], usage, model: 'm' });
const PROMPT = 'Complete this function safely. '.repeat(10); // 310 characters
const unit = (messages = [{ role: 'user' as const, content: PROMPT }]): WorkUnit => ({ id: 'u1', sample: 0, endpoint: 'local', request: { model: 'm', messages }, meta: { item_id: 'i1' } });
const how = { cached: false, attempts: 1, latency_ms: 5 };
const row = (r: Partial<ResultRow>): ResultRow => ({
	unit_id: 'u', sample: 0, status: 'ok', response: ANSWER, error: null, latency_ms: 1, tokens_in: 10, tokens_out: 10, cached: false, attempts: 1, finished_at: '2026-11-29T10:00:00.000Z', meta: {}, ...r
});

describe('the bound', () => {
	it('is 4 tokens a character plus the slack; an unknown count or length is never implausible', () => {
		expect(tokensImplausible(4 * 22 + 64, 22, 64)).toBe(false);
		expect(tokensImplausible(4 * 22 + 65, 22, 64)).toBe(true);
		expect(tokensImplausible(null, 22, 64)).toBe(false);
		expect(tokensImplausible(1000, null, 64)).toBe(false);
	});
});

describe('answerRow and usageImplausible', () => {
	it('honest counts (~4 characters a token, and 1 a token, the dense extreme) are not flagged', () => {
		for (const usage of [{ prompt_tokens: 80, completion_tokens: 7 }, { prompt_tokens: 310, completion_tokens: 22 }]) {
			const r = answerRow(unit(), toCompletion(body(usage)), how);
			expect(r.meta[USAGE_IMPLAUSIBLE]).toBeUndefined();
			expect(usageImplausible(r)).toBe(false);
		}
	});

	it('10M completion tokens for a 22-character answer: flagged from the row (older logs too), tokens kept', () => {
		const r = answerRow(unit(), toCompletion(body({ prompt_tokens: 80, completion_tokens: MAX_TOKENS_PER_ANSWER })), how);
		expect(r.tokens_out).toBe(MAX_TOKENS_PER_ANSWER);
		expect(usageImplausible(r)).toBe(true);
		// A row as a log written before the check holds it: no flag, the same answer.
		expect(usageImplausible(row({ tokens_out: 4 * 22 + 65 }))).toBe(true);
		expect(usageImplausible(row({ tokens_out: 4 * 22 + 64 }))).toBe(false);
		// An empty answer with 100 tokens (a reasoning model's hidden reasoning would look so too).
		expect(usageImplausible(row({ response: '', tokens_out: 100 }))).toBe(true);
	});

	it('10M prompt tokens for a 310-character prompt: flagged when the answer comes in (the prompt is not kept)', () => {
		const r = answerRow(unit(), toCompletion(body({ prompt_tokens: 4 * 310 + 1025, completion_tokens: 7 })), how);
		expect(r.meta[USAGE_IMPLAUSIBLE]).toBe(true);
		expect(usageImplausible(r)).toBe(true);
		const ok = answerRow(unit(), toCompletion(body({ prompt_tokens: 4 * 310 + 1024, completion_tokens: 7 })), how);
		expect(ok.meta[USAGE_IMPLAUSIBLE]).toBeUndefined();
		// A unit without its messages (prompt length not known): not judged.
		expect(answerRow(unit([]), toCompletion(body({ prompt_tokens: MAX_TOKENS_PER_ANSWER, completion_tokens: 7 })), how).meta[USAGE_IMPLAUSIBLE]).toBeUndefined();
	});

	it('an unreadable usage is that, not implausible (its tokens are not summed at all); rows are counted', () => {
		const bad = answerRow(unit(), toCompletion(body({ prompt_tokens: -5, completion_tokens: 3 })), how);
		expect(usageImplausible(bad)).toBe(false);
		const rows = [row({}), row({ tokens_out: 5_000_000 }), row({ meta: { [USAGE_IMPLAUSIBLE]: true } }), row({ tokens_out: -3 })];
		expect(usageImplausibleRows(rows)).toBe(2);
		expect(usageImplausibleText(2)).toMatch(/^implausible on 2 rows: .*may be inflated: the figures are not to be trusted$/);
		expect(usageImplausibleText(1)).toMatch(/^implausible on 1 row: /);
	});
});

// Token usage as an endpoint reports it is taken only when it is a count: a negative, fractional,
// absurd (over MAX_TOKENS_PER_ANSWER) or non-numeric count keeps the answer but none of the
// tokens, and marks the row usage_invalid (counted by usageInvalidRows), so it is never summed.
import { describe, expect, it } from 'vitest';
import { toCompletion, usageOf } from '../../../src/lib/engine/chat-client.ts';
import { answerRow } from '../../../src/lib/engine/run-units.ts';
import { MAX_TOKENS_PER_ANSWER, USAGE_INVALID, usageInvalidRows, type WorkUnit } from '../../../src/lib/engine/types.ts';

const body = (usage: unknown) => ({ choices: [{ message: { content: 'def f():\n    return 1\n' }, finish_reason: 'stop' }], usage, model: 'm' });
const unit: WorkUnit = { id: 'u1', sample: 0, endpoint: 'local', request: { model: 'm', messages: [] }, meta: { item_id: 'i1' } } as unknown as WorkUnit;

describe('usageOf / toCompletion', () => {
	it('keeps honest counts, and null for counts not sent', () => {
		expect(usageOf({ prompt_tokens: 12, completion_tokens: 0 })).toEqual({ tokens_in: 12, tokens_out: 0 });
		expect(usageOf({ prompt_tokens: MAX_TOKENS_PER_ANSWER, completion_tokens: 5 })).toEqual({ tokens_in: MAX_TOKENS_PER_ANSWER, tokens_out: 5 });
		expect(usageOf(undefined)).toEqual({ tokens_in: null, tokens_out: null });
		expect(usageOf({ prompt_tokens: 7 })).toEqual({ tokens_in: 7, tokens_out: null });
	});

	it.each([
		['negative', { prompt_tokens: -1000000, completion_tokens: -5 }],
		['one negative', { prompt_tokens: 10, completion_tokens: -5 }],
		['absurd', { prompt_tokens: 5.4e301, completion_tokens: 3 }],
		['over the cap', { prompt_tokens: 3, completion_tokens: MAX_TOKENS_PER_ANSWER + 1 }],
		['fractional', { prompt_tokens: 1.5, completion_tokens: 3 }],
		['text', { prompt_tokens: '12', completion_tokens: 3 }],
		['NaN', { prompt_tokens: Number.NaN, completion_tokens: 3 }],
		['not an object', 42]
	])('a %s usage keeps the answer, no tokens, and is marked', (_name, usage) => {
		const c = toCompletion(body(usage));
		expect(c.text).toContain('return 1');
		expect(c.tokens_in).toBeNull();
		expect(c.tokens_out).toBeNull();
		expect(c.usage_invalid).toBe(true);
	});
});

describe('answerRow', () => {
	it('flags the row whose usage was unreadable, and only that one', () => {
		const bad = answerRow(unit, toCompletion(body({ prompt_tokens: -54000000, completion_tokens: -270 })), { cached: false, attempts: 1, latency_ms: 5 });
		const good = answerRow(unit, toCompletion(body({ prompt_tokens: 5, completion_tokens: 2 })), { cached: false, attempts: 1, latency_ms: 5 });
		expect(bad.status).toBe('ok');
		expect(bad.response).toContain('return 1');
		expect(bad.tokens_in).toBeNull();
		expect(bad.meta[USAGE_INVALID]).toBe(true);
		expect(good.meta[USAGE_INVALID]).toBeUndefined();
		expect(good.tokens_in).toBe(5);
		expect(usageInvalidRows([bad, good, bad])).toBe(2);
	});
});

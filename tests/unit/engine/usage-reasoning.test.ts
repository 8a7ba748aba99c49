// A reasoning model (o-series, gpt-5, deepseek-reasoner, vLLM's reasoning parser) counts its hidden
// reasoning in completion_tokens and reports it in completion_tokens_details.reasoning_tokens:
// kept on the row (meta.reasoning_tokens), and only the rest is bounded by the answer's length.
// A row without it (older logs, endpoints that do not report it) is checked as before.
import { describe, expect, it } from 'vitest';
import { toCompletion, usageOf } from '../../../src/lib/engine/chat-client.ts';
import { answerRow } from '../../../src/lib/engine/run-units.ts';
import { REASONING_TOKENS, usageImplausible, usageImplausibleText, type WorkUnit } from '../../../src/lib/engine/types.ts';

const JUDGE_JSON = '{"vulnerable": false, "cwe": "CWE-89"}'; // 38 characters
const body = (usage: unknown, content = JUDGE_JSON) => ({ choices: [{ message: { content }, finish_reason: 'stop' }], usage, model: 'm' });
const unit: WorkUnit = { id: 'u1', sample: 0, endpoint: 'local', request: { model: 'm', messages: [{ role: 'user', content: 'Is this code vulnerable? '.repeat(20) }] }, meta: { item_id: 'i1' } };
const how = { cached: false, attempts: 1, latency_ms: 5 };

describe('reasoning tokens', () => {
	it('usageOf keeps reasoning_tokens when it is a count no larger than completion_tokens', () => {
		expect(usageOf({ prompt_tokens: 10, completion_tokens: 800, completion_tokens_details: { reasoning_tokens: 780 } })).toEqual({ tokens_in: 10, tokens_out: 800, reasoning_tokens: 780 });
		expect(usageOf({ prompt_tokens: 10, completion_tokens: 800, completion_tokens_details: { reasoning_tokens: 900 } })).toEqual({ tokens_in: 10, tokens_out: 800 });
		expect(usageOf({ prompt_tokens: 10, completion_tokens: 800, completion_tokens_details: { reasoning_tokens: -1 } })).toEqual({ tokens_in: 10, tokens_out: 800 });
		expect(usageOf({ prompt_tokens: 10, completion_tokens: 800 })).toEqual({ tokens_in: 10, tokens_out: 800 });
	});

	it('a 38-character judge answer with 2,000 tokens out of which 1,980 reasoning: kept on the row, not implausible', () => {
		const r = answerRow(unit, toCompletion(body({ prompt_tokens: 100, completion_tokens: 2000, completion_tokens_details: { reasoning_tokens: 1980 } })), how);
		expect(r.tokens_out).toBe(2000);
		expect(r.meta[REASONING_TOKENS]).toBe(1980);
		expect(usageImplausible(r)).toBe(false);
	});

	it('the same tokens with no reasoning reported (an older row): implausible, as today', () => {
		const r = answerRow(unit, toCompletion(body({ prompt_tokens: 100, completion_tokens: 2000 })), how);
		expect(r.meta[REASONING_TOKENS]).toBeUndefined();
		expect(usageImplausible(r)).toBe(true);
	});

	it('answer tokens beyond the bound even after the reasoning is left out: still implausible', () => {
		const r = answerRow(unit, toCompletion(body({ prompt_tokens: 100, completion_tokens: 5000, completion_tokens_details: { reasoning_tokens: 1000 } })), how);
		expect(usageImplausible(r)).toBe(true);
	});

	it('the message says reasoning tokens were taken into account', () => {
		expect(usageImplausibleText(3)).toMatch(/hidden reasoning tokens the endpoint reported were taken into account/);
	});
});

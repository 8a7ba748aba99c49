// Shared shapes of the run engine. Generic on purpose: the engine knows work units and result
// rows, not CoV-Eval tasks; the benchmark layer builds units and reads rows.
import type { LoggedRow } from '../arrow/run-schema.ts';

/** One chat message as the OpenAI chat-completions API takes it. */
export interface ChatMessage {
	role: 'system' | 'user' | 'assistant';
	content: string;
}

/** The request body of one chat completion (transport fields such as `stream` are the engine's). */
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	seed?: number;
	stop?: string[];
	/** Any further body fields an endpoint understands (e.g. vLLM's `top_k`). */
	[extra: string]: unknown;
}

/** Values a unit carries into its result row (item id, task, model, prompt hash, …). */
export type MetaValue = string | number | null;

export interface WorkUnit {
	/** Stable hash of task, item, model/judge, params and sample (see `unitId`). */
	id: string;
	/** Name of the endpoint in the engine config that serves this unit. */
	endpoint: string;
	request: ChatRequest;
	/** Sample index (0-based): n samples of one prompt are n distinct calls and cache entries. */
	sample: number;
	meta: Record<string, MetaValue>;
}

/**
 * 'error' = an infrastructure failure after retries (never a verdict);
 * 'unparsed' = the model answered but a `parse` hook could not understand the answer;
 * 'no_code' = the model answered, but with no program in it (a generation's refusal, prose,
 * empty or cut-off answer): never a verdict, counted apart.
 */
export type RowStatus = 'ok' | 'error' | 'unparsed' | 'no_code';

/** One line of a run log: a finished work unit (the shape the run tables read, arrow/run-schema.ts). */
export interface ResultRow extends Omit<LoggedRow, 'status' | 'meta'> {
	status: RowStatus;
	/** The unit's meta, plus whatever a parse hook adds. Flattened into the log line and the
	 * Arrow table, so its keys may not reuse a field name (see ROW_FIELDS). */
	meta: Record<string, MetaValue | boolean>;
}

/** The fixed fields of a row, in column order; meta keys must not collide with these. */
export const ROW_FIELDS = [
	'unit_id',
	'sample',
	'status',
	'response',
	'error',
	'latency_ms',
	'tokens_in',
	'tokens_out',
	'cached',
	'attempts',
	'finished_at'
] as const;

/** The meta key of a row whose endpoint sent a usage that is no count (its tokens are null). */
export const USAGE_INVALID = 'usage_invalid';

/** More tokens than this for one answer (or its prompt) is no count anyone sent honestly. */
export const MAX_TOKENS_PER_ANSWER = 10_000_000;

/** A token count as one answer may have it: a whole number from 0 to MAX_TOKENS_PER_ANSWER. */
export function isTokenCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS_PER_ANSWER;
}

/** Whether a row's usage is unreadable: flagged when it came in, or counts no answer has (a log written before the check, or by hand). */
export function usageInvalid(row: { meta: Record<string, unknown>; tokens_in: number | null; tokens_out: number | null }): boolean {
	return row.meta[USAGE_INVALID] === true || (row.tokens_in !== null && !isTokenCount(row.tokens_in)) || (row.tokens_out !== null && !isTokenCount(row.tokens_out));
}

/** Rows whose usage was unreadable: the run's tokens and cost leave them out (lower bounds). */
export function usageInvalidRows(rows: Iterable<{ meta: Record<string, unknown>; tokens_in: number | null; tokens_out: number | null }>): number {
	let n = 0;
	for (const row of rows) if (usageInvalid(row)) n++;
	return n;
}

/** What a chat call returns once the whole answer is in. */
export interface Completion {
	text: string;
	tokens_in: number | null;
	tokens_out: number | null;
	finish_reason: string | null;
	/** The model name the endpoint reported (may differ from the requested alias). */
	model: string | null;
	/** The endpoint's usage was not a count (negative, huge, not a number): tokens_in/out are null. */
	usage_invalid?: true;
}

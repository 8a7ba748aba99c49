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

/**
 * The meta key of a row whose answer stopped at its token limit (finish_reason "length", live,
 * streamed or batch): the answer is kept and parsed as any other, but it is cut short — counted
 * and said beside the run's counts (covw runs show, the run page, covw batch import), never a
 * silent normal answer.
 */
export const ANSWER_CUT = 'answer_cut';

/** Rows whose answer stopped at the token limit (ANSWER_CUT). */
export function answersCutRows(rows: Iterable<{ meta: Record<string, unknown> }>): number {
	let n = 0;
	for (const row of rows) if (row.meta[ANSWER_CUT] === true) n++;
	return n;
}

/** What covw runs show, covw batch import and the run page say of `n` cut answers (one sentence, no HTML). */
export function answersCutText(n: number): string {
	return `${n} answer${n === 1 ? '' : 's'} stopped at the token limit (finish_reason "length"): kept and parsed, but cut short — a larger max_tokens gives them whole`;
}

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

/** The meta key of a row whose endpoint reported more prompt tokens than its prompt could hold (set when the answer came in: the prompt is not kept). */
export const USAGE_IMPLAUSIBLE = 'usage_implausible';
/** Row meta: the hidden reasoning tokens the endpoint reported for the answer (part of tokens_out; Completion.reasoning_tokens). */
export const REASONING_TOKENS = 'reasoning_tokens';

/**
 * How many tokens a text of n characters may be reported to take: TOKENS_PER_CHAR × n + a slack.
 * Why 4: real tokenizers (tiktoken's cl100k/o200k, Llama 3's, Qwen's, Mistral's) take ~4
 * characters a token for English and code, and 1 a token is their dense extreme (CJK text). And
 * they are byte-level (or fall back to bytes), so a token holds at least one byte of the text,
 * and one character here (a UTF-16 unit) is at most 3 UTF-8 bytes: no tokenizer gives more than
 * 3 tokens a character. 4 is past even that. The slack is for what is counted but not in the
 * text: end-of-turn and other special tokens of an answer (64), the chat template's tokens per
 * message and a provider's own system text for a prompt (1,024). A count over the bound can only
 * be made up (a hostile or broken endpoint: up to MAX_TOKENS_PER_ANSWER an answer) — or, for an
 * answer, a reasoning model's hidden reasoning, which is counted but not sent.
 */
export const TOKENS_PER_CHAR = 4;
export const ANSWER_TOKENS_SLACK = 64;
export const PROMPT_TOKENS_SLACK = 1024;

/** Whether `tokens` reported for a text of `chars` characters are more than it could take (see TOKENS_PER_CHAR); null (not known) is never. */
export function tokensImplausible(tokens: number | null, chars: number | null, slack: number): boolean {
	return tokens !== null && chars !== null && tokens > TOKENS_PER_CHAR * chars + slack;
}

/**
 * Whether a row's usage is implausible for what it came with: more answer tokens than its answer
 * could take (checked here, on any row, older logs' too), or more prompt tokens than its prompt
 * could (flagged when the answer came in). Its tokens are summed into the run's tokens and cost
 * all the same, but those figures cannot be trusted (they may be inflated). An unreadable usage
 * (usageInvalid) is not this: its tokens are not summed at all.
 */
export function usageImplausible(row: { meta: Record<string, unknown>; tokens_in: number | null; tokens_out: number | null; response?: string | null }): boolean {
	if (usageInvalid(row)) return false;
	// Only the tokens of the answer sent are bounded by it: the hidden reasoning tokens the endpoint
	// reported (a reasoning model's) are left out; an older row without them is checked whole.
	const reasoning = row.meta[REASONING_TOKENS];
	const answerTokens = row.tokens_out !== null && isTokenCount(reasoning) && reasoning <= row.tokens_out ? row.tokens_out - reasoning : row.tokens_out;
	return row.meta[USAGE_IMPLAUSIBLE] === true || tokensImplausible(answerTokens, typeof row.response === 'string' ? row.response.length : null, ANSWER_TOKENS_SLACK);
}

/** What `covw runs show` and the run page say after "usage" of `rows` rows whose usage is implausible (one sentence, no HTML). */
export function usageImplausibleText(rows: number): string {
	return `implausible on ${rows} row${rows === 1 ? '' : 's'}: the endpoint reported more tokens than the answer or prompt could take (over ${TOKENS_PER_CHAR} a character; hidden reasoning tokens the endpoint reported were taken into account, left out of that bound; a model that does not report them counts its reasoning as answer tokens) — the tokens and cost include them and may be inflated: the figures are not to be trusted`;
}

/** Rows whose usage is implausible (usageImplausible): the run's tokens and cost may be inflated. */
export function usageImplausibleRows(rows: Iterable<{ meta: Record<string, unknown>; tokens_in: number | null; tokens_out: number | null; response?: string | null }>): number {
	let n = 0;
	for (const row of rows) if (usageImplausible(row)) n++;
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
	/** The hidden reasoning tokens the endpoint reported (usage.completion_tokens_details.reasoning_tokens), part of tokens_out. */
	reasoning_tokens?: number;
}

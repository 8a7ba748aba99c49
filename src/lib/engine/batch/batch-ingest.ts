// Batch output (OpenAI's output and error files, or vLLM run_batch's output file) into the run
// log, one row per unit through the run session: the same rows the live path writes (response,
// tokens, status through the parse hook; cached false; one attempt). A failed line is an error
// row, never a verdict. A unit that already has a finished row is left alone, so ingesting the
// same file twice (a crash between ingesting and recording it) adds nothing. An answer over its
// endpoint's cap (maxAnswerBytes, as on the live path) is an error row, never saved; a line too
// long to hold any answer within the caps is skipped unread (its unit then has no answer).
// An answer from another model than its unit asked for (body.model: a line of another run's
// output, a file made with another --model) is kept with a warning naming its line and model:
// the name an endpoint reports legitimately differs from the one asked for (a dated snapshot,
// gpt-4o → gpt-4o-2024-08-06; vLLM's --served-model-name), so refusing would throw away good,
// paid answers; the warning makes the user look (and the row keeps the name, meta answer_model).
// An answer cut at its token limit (finish_reason "length") is kept and flagged as the live
// path flags it (answerRow: types.ts ANSWER_CUT).
import { MAX_ANSWER_BYTES } from '../config.ts';
import { tooLarge } from '../chat-fetch.ts';
import { cacheKey, type ResponseCache } from '../response-cache.ts';
import { storageFailure } from '../run-errors.ts';
import type { RunSession } from '../run-session.ts';
import { answerRow, errorRow, type ParseHook } from '../run-units.ts';
import type { EngineConfig } from '../config.ts';
import type { ResultRow, WorkUnit } from '../types.ts';
import { readOutputLine } from './batch-lines.ts';

/** The row meta key naming the model an answer says it came from, when that is not the model its unit asked for. */
export const ANSWER_MODEL = 'answer_model';

/** Mismatch warnings said one by one; past these, one line counts the rest. */
const MODEL_WARNINGS_NAMED = 10;

/**
 * Whether `reported` (an answer's body.model) names another model than `requested`. The same
 * model: the same name; a dated snapshot of it (gpt-4o → gpt-4o-2024-08-06, -20240806, -0613);
 * or, where one side is a local folder path (vLLM serving /models/Llama-3-8B), the same last
 * path part. Anything else is another model: gpt-4o-mini for gpt-4o, …-Instruct for its base,
 * another owner's model of the same name (meta/x vs other/x).
 */
export function otherModel(reported: string | null, requested: string): boolean {
	if (reported === null || reported === requested) return false;
	if (reported.startsWith(`${requested}-`) && SNAPSHOT_SUFFIX.test(reported.slice(requested.length))) return false;
	if (localPath(reported) || localPath(requested)) {
		const base = (m: string) => m.slice(m.lastIndexOf('/') + 1);
		const [a, b] = [base(reported), base(requested)];
		return !(a === b || (a.startsWith(`${b}-`) && SNAPSHOT_SUFFIX.test(a.slice(b.length))));
	}
	return true;
}

/** A snapshot's date suffix: -2024-08-06, -20240806, -0613 (and nothing after it). */
const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/** A model named by a folder on disk (absolute, ./ or ~/), as vLLM reports one served from a path. */
function localPath(model: string): boolean {
	return /^(\/|\.\.?\/|~\/)/.test(model);
}

export interface IngestContext {
	session: RunSession;
	units: Map<string, WorkUnit>;
	parse?: ParseHook;
	/** Fresh answers are cached (as the live path does), keyed by the unit's endpoint. */
	cache?: ResponseCache | null;
	config?: EngineConfig;
	redact?: (text: string) => string;
	/** Logs a row (the caller's tally follows it). */
	record: (row: ResultRow) => void;
	warn: (message: string) => void;
}

/** Ingests one output file's text; returns the unit ids it had a line for. `expected` limits it to one batch's units. */
export function ingestBatchOutput(ctx: IngestContext, text: string, file: string, expected: Set<string> | null): Set<string> {
	const seen = new Set<string>();
	let otherModels = 0;
	const lines = text.split('\n');
	// The longest line an answer within every cap can take: its JSON escapes, the line's other fields.
	const caps = [...(ctx.config?.endpoints.values() ?? [])].map((e) => e.maxAnswerBytes);
	const maxLine = Math.max(MAX_ANSWER_BYTES, ...caps) * 2 + 65_536;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (line.trim() === '') continue;
		if (line.length > maxLine) {
			ctx.warn(`${file}:${i + 1}: skipped: a line longer than ${maxLine} characters (not read)`);
			continue;
		}
		const outcome = readOutputLine(line);
		if (typeof outcome === 'string') {
			ctx.warn(`${file}:${i + 1}: skipped: ${outcome}`);
			continue;
		}
		const unit = ctx.units.get(outcome.unitId);
		if (!unit || (expected && !expected.has(unit.id))) {
			ctx.warn(`${file}:${i + 1}: skipped: custom_id "${outcome.unitId}" is not a unit of this ${expected ? 'batch' : 'run'}`);
			continue;
		}
		if (seen.has(unit.id)) {
			ctx.warn(`${file}:${i + 1}: skipped: a second line for unit ${unit.id}`);
			continue;
		}
		seen.add(unit.id);
		if (ctx.session.isFinished(unit.id)) continue;
		if (outcome.kind === 'failed') {
			ctx.record(errorRow(unit, (ctx.redact ?? ((t) => t))(outcome.reason), 1, null));
			continue;
		}
		const endpoint = ctx.config?.endpoints.get(unit.endpoint);
		const cap = endpoint?.maxAnswerBytes ?? MAX_ANSWER_BYTES;
		const answer = outcome.completion.text;
		if (answer.length > cap || (answer.length * 3 > cap && new TextEncoder().encode(answer).length > cap)) {
			ctx.record(errorRow(unit, tooLarge(cap).message, 1, null));
			continue;
		}
		if (ctx.cache && endpoint) {
			try {
				ctx.cache.put(cacheKey(endpoint.baseURL, unit.request, unit.sample), outcome.completion);
			} catch (e) {
				throw storageFailure('the response cache', ctx.cache.dir, e);
			}
		}
		const row = answerRow(unit, outcome.completion, { cached: false, attempts: 1, latency_ms: null }, ctx.parse);
		const reported = outcome.completion.model;
		if (otherModel(reported, unit.request.model)) {
			row.meta[ANSWER_MODEL] = reported;
			if (++otherModels <= MODEL_WARNINGS_NAMED)
				ctx.warn(`${file}:${i + 1}: the answer for unit ${unit.id} says it came from model "${reported}", not "${unit.request.model}" that the unit asked for: kept as an answer of "${unit.request.model}" — check that the file is the output of this run's input`);
		}
		ctx.record(row);
	}
	if (otherModels > MODEL_WARNINGS_NAMED) ctx.warn(`${file}: ${otherModels - MODEL_WARNINGS_NAMED} more answer(s) from another model than their unit asked for (${otherModels} in all)`);
	return seen;
}

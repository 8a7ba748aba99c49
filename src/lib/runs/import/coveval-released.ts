// The released CoV-Eval results (results/<task folder>/<model>.json upstream): one record per
// answer with vul_type_id, source_code_id, source_code, response and — for completion and
// repair — GPT-4o's answer as a judge (meta_data.judge_by_gpt4: {"<cwe>": "<answer text>"}) and
// vul_eval, the upstream harness's reading of that answer ("safe" / "unsafe"). The model is the
// file's name; the task comes from the folder (code_completion, vulnerability_repair,
// vulnerability_detection_classification) or, failing that, from the fields. Items are found
// by their program text (source_code).
//
// Two judges come out of it, with the template the upstream harness used for that task
// (few-shot Yes/No for completion, zero-shot safe/unsafe for repair):
//   - "openai/gpt-4o": GPT-4o's own answer text, read by our strict judge-answer parser — an
//     answer it cannot read (e.g. one cut off at "{") is `unparsed`, never a verdict;
//   - "openai/gpt-4o · harness reading": vul_eval as released. The harness defaults whatever it
//     cannot read to unsafe and reads "unsafe" anywhere in the answer (paper-judge.ts), so this
//     is the reading behind the paper's figures, kept apart so the two can be compared.
import { basename, dirname } from 'node:path';
import type { SourcedRecord } from '../../core/items/json-records.ts';
import { parseJudgeAnswer } from '../../core/parsing/judge-answer.ts';
import { carriedVersion } from './carried-legacy.ts';
import type { CarriedVerdict, ForeignAnswer, ImportProblem, ReadAnswers } from './types.ts';

/** GPT-4o's own answers (meta_data.judge_by_gpt4), read strictly. */
export const RELEASED_JUDGE = 'openai/gpt-4o';
/** The upstream harness's reading of GPT-4o's answers (vul_eval), as released. */
export const HARNESS_JUDGE = 'openai/gpt-4o · harness reading';
/**
 * What a released judge run's rows are, in its params (so its run id). Runs of an import made
 * before (no `reading`) hold vul_eval under RELEASED_JUDGE: see isOldReleasedReading.
 */
export const READING_STRICT = 'gpt-4o answer, strict parser';
export const READING_HARNESS = 'vul_eval (upstream harness)';
const TEMPLATE_OF: Record<string, string> = { completion: 'fewshot', repair: 'zeroshot' };

const FOLDER_TASK: Record<string, string> = {
	code_completion: 'completion',
	vulnerability_repair: 'repair',
	vulnerability_detection_classification: 'detection'
};

export function releasedTask(file: string, first: Record<string, unknown>): string | null {
	const folder = basename(dirname(file));
	if (FOLDER_TASK[folder]) return FOLDER_TASK[folder];
	if ('binary_match' in first || 'multi_match' in first) return 'detection';
	return null;
}

export function releasedModel(file: string): string {
	return basename(file).replace(/\.jsonl?$/i, '');
}

/** The harness's reading (vul_eval), or null when the record has none. */
function harnessVerdict(value: unknown, task: string | null): CarriedVerdict | null {
	if (value === undefined) return null;
	const raw = typeof value === 'string' ? value : JSON.stringify(value);
	const word = raw.trim().toLowerCase();
	return {
		judge: HARNESS_JUDGE,
		template: task ? (TEMPLATE_OF[task] ?? null) : null,
		vulnerable: word === 'unsafe' ? true : word === 'safe' ? false : null,
		raw,
		reading: READING_HARNESS
	};
}

/**
 * GPT-4o's own answer (meta_data.judge_by_gpt4, keyed by CWE: the record's own CWE, else its
 * only entry) read by the strict parser; null when the record has no answer text.
 */
function gpt4oVerdict(value: Record<string, unknown>, task: string | null, problem: (field: string, message: string) => void): CarriedVerdict | null {
	const meta = value.meta_data;
	if (meta === null || typeof meta !== 'object') return null;
	const byCwe = (meta as Record<string, unknown>).judge_by_gpt4;
	if (byCwe === undefined) return null;
	if (byCwe === null || typeof byCwe !== 'object') {
		problem('meta_data.judge_by_gpt4', 'not an object of answers by CWE; GPT-4o\'s answer not imported');
		return null;
	}
	const entries = Object.entries(byCwe as Record<string, unknown>);
	const cwe = typeof value.vul_type_id === 'string' ? value.vul_type_id.toLowerCase() : '';
	const found = entries.find(([k]) => k.toLowerCase() === cwe) ?? (entries.length === 1 ? entries[0] : undefined);
	if (!found || typeof found[1] !== 'string') {
		problem('meta_data.judge_by_gpt4', `no answer text for ${cwe || 'the record\'s CWE'}; GPT-4o's answer not imported`);
		return null;
	}
	const raw = found[1];
	const parsed = parseJudgeAnswer(raw);
	return {
		judge: RELEASED_JUDGE,
		template: task ? (TEMPLATE_OF[task] ?? null) : null,
		vulnerable: parsed.status === 'ok' ? parsed.vulnerable : null,
		raw,
		reading: READING_STRICT,
		reason: parsed.status === 'ok' ? undefined : `GPT-4o's answer gives no verdict: ${parsed.reason}`
	};
}

export function readReleased(records: readonly SourcedRecord[], file: string): ReadAnswers {
	const task = releasedTask(file, records[0]?.value ?? {});
	const model = releasedModel(file);
	const out: ReadAnswers = { total: records.length, answers: [], problems: [] };
	for (const { value, line } of records) {
		const missing = ['source_code', 'response'].find((k) => typeof value[k] !== 'string');
		if (missing) {
			out.problems.push({ file, line, field: missing, message: `missing or not text; record not imported` });
			continue;
		}
		const problem = (field: string, message: string) => out.problems.push({ file, line, field, message } satisfies ImportProblem);
		const own = task === 'detection' ? null : gpt4oVerdict(value, task, problem);
		const harness = task === 'detection' ? null : harnessVerdict(value.vul_eval, task);
		const verdicts = [own, harness].filter((v): v is CarriedVerdict => v !== null);
		const answer: ForeignAnswer = {
			line,
			model,
			sample: 0,
			response: value.response as string,
			key: {
				task,
				code: value.source_code as string,
				cwe: typeof value.vul_type_id === 'string' ? value.vul_type_id.toUpperCase() : null,
				scenario: typeof value.source_code_id === 'string' ? value.source_code_id : null
			},
			verdicts
		};
		if (own && own.vulnerable === null) {
			const harnessSays = harness?.vulnerable === true ? ` (the harness reading, vul_eval, counts it "unsafe")` : harness?.vulnerable === false ? ` (the harness reading, vul_eval, counts it "safe")` : '';
			problem('meta_data.judge_by_gpt4', `GPT-4o's answer ${preview(own.raw)} gives no verdict; kept as an unreadable verdict (status unparsed)${harnessSays}`);
		}
		if (harness && harness.vulnerable === null) {
			problem('vul_eval', `${JSON.stringify(harness.raw)} is neither "safe" nor "unsafe"; kept as an unreadable verdict`);
		}
		out.answers.push(answer);
	}
	return out;
}

function preview(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 60)}…` : flat);
}

type Params = { kind?: unknown; judge?: unknown; reading?: unknown; imported?: { format?: unknown } };

/**
 * A judge run of released verdicts imported before GPT-4o's own answers were read: it is named
 * RELEASED_JUDGE but its rows are vul_eval, the harness's reading (no `reading` in its params).
 * It stays on disk as written; readers name it for what it is (released-results notebook).
 */
export function isOldReleasedReading(manifest: { kind?: string; params?: unknown } | null): boolean {
	const p = (manifest?.params ?? {}) as Params;
	return manifest?.kind === 'judge' && p.imported?.format === 'coveval-released' && p.judge === RELEASED_JUDGE && p.reading === undefined;
}

/** The upstream results folder of each task (the inverse of FOLDER_TASK). */
const TASK_FOLDER: Record<string, string> = Object.fromEntries(Object.entries(FOLDER_TASK).map(([folder, task]) => [task, folder]));

/**
 * A run of an old import of the released results, in words for the run page and `covw runs
 * show` (as the released-results notebook says it), with the command that imports its file
 * again; null for any other run. Old: a judge run named RELEASED_JUDGE holding vul_eval
 * (isOldReleasedReading), or a judge run whose verdicts were carried before its format's carriedVersion
 * (carried-legacy.ts). Importing the file again writes GPT-4o's own answers and the harness
 * reading as two judge runs beside it; the old run stays on disk until it is removed.
 * `others`: the other runs' manifests (all of the runs folder, or at least the judge runs over the
 * same generation run): the current imports of the same file (same file name and template, not
 * old themselves) are named in `newer` — then the file HAS been imported again, and the note says
 * so (the old run can be removed) instead of asking to import it again.
 */
export function oldReleasedImport(
	manifest: { run_id?: string; kind?: string; params?: unknown } | null,
	others: readonly { run_id: string; kind?: string; params?: unknown }[] = []
): { what: string; command: string; newer: string[] } | null {
	const p = (manifest?.params ?? {}) as Params & { carried?: unknown; template?: unknown; imported?: { file?: unknown } };
	if (manifest?.kind !== 'judge' || p.imported?.format !== 'coveval-released') return null;
	let what: string;
	if (isOldReleasedReading(manifest)) {
		what = `an old import of the CoV-Eval released results: this judge run is named ${RELEASED_JUDGE} but holds vul_eval, the upstream harness's reading of GPT-4o's answers (written before GPT-4o's own answers were read)`;
	} else if (p.carried !== carriedVersion('coveval-released')) {
		what = 'an old import of the CoV-Eval released results: its verdicts were carried before answers with no code were kept from verdicts (they are read with their answer\'s status)';
	} else {
		return null;
	}
	// The task from the template the harness used for it (TEMPLATE_OF: completion few-shot, repair zero-shot).
	const task = Object.keys(TEMPLATE_OF).find((t) => TEMPLATE_OF[t] === p.template);
	const folder = (task && TASK_FOLDER[task]) ?? '<task folder>';
	const named = typeof p.imported.file === 'string' && p.imported.file !== '' ? basename(p.imported.file) : null;
	const file = named ?? '<model>.json';
	// Today's import of the same file (same name and template) already beside it: named, not asked for again.
	const newer = named === null ? [] : others
		.filter((o) => o.run_id !== manifest.run_id && o.kind === 'judge')
		.filter((o) => {
			const q = (o.params ?? {}) as Params & { template?: unknown; imported?: { file?: unknown } };
			return q.imported?.format === 'coveval-released' && typeof q.imported.file === 'string' && basename(q.imported.file) === named && q.template === p.template && oldReleasedImport(o) === null;
		})
		.map((o) => o.run_id)
		.sort();
	return { what, command: `npm run covw -- import ${quoteArg(`path/to/CoV-Eval/results/${folder}/${file}`)}`, newer };
}

/** As cli/shell-quote.ts shellQuote (which this layer may not import): a file name from a manifest stays one argument when pasted. */
function quoteArg(arg: string): string {
	return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

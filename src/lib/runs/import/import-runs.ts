// `covw import <file>`: answers (and the verdicts they carry) from a file made elsewhere become
// runs in the same on-disk format the engine writes (runs/<id>/manifest.json + log.jsonl), so the
// run tables, `covw runs` and `covw judge` treat them like any other run:
//   - one generation run per (model, task) — each answer a row, read by the same parse step as
//     our own generations (so an answer with no code is 'no_code');
//   - one judge run per (judge, template, generation run) for the verdicts the file carries;
//   - detection runs are read by the answer parsers (both modes), as our own detection runs are.
// Every run records where it came from (file name, sha256, format) in its params; its id derives
// from them, so importing the same file again writes nothing (its run folders stay byte for
// byte as they were), the same content under another name is "imported before" (the earlier
// import's runs, nothing written), and a changed file makes new runs beside the old ones
// (nothing already imported is touched). A JSON Lines file with a few unparseable lines brings
// in the others and lists each bad line. Imported generation runs have
// no requests: nothing ever re-sends them. Records that do not come in are listed with file,
// line and field, never dropped silently — on screen and in runs/<generation run>/import-report.json.

export const IMPORT_REPORT = 'import-report.json';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Item } from '../../core/items/item.ts';
import { parseRecordFile, type SourcedRecord } from '../../core/items/json-records.ts';
import { RecordError } from '../../core/items/record-error.ts';
import { checkedFolderUnder, readRegularFile, writeFileAtomic } from '../../engine/atomic-file.ts';
import { sha256Hex, unitId } from '../../engine/canonical-json.ts';
import type { MetaValue, RowStatus, WorkUnit } from '../../engine/types.ts';
import { writeDirectRun, type DirectUnit } from '../direct-run.ts';
import { CARRIED_VERDICTS, carriedVersion } from './carried-legacy.ts';
import { itemsHash } from '../dataset-hash.ts';
import { parseGeneration } from '../generation-parse.ts';
import { judgeRunIdentity, PARSER_JUDGE, runJudge } from '../judge-run.ts';
import { FINISHED, latestRowPerUnit, LOG_FILE, readRunLog } from '../../engine/run-log.ts';
import { listRunIds } from '../run-list.ts';
import { MANIFEST_FILE, readManifest, type Manifest } from '../../engine/manifest.ts';
import { derivedRunId } from '../run-ids.ts';
import { isOldReleasedReading, readReleased } from './coveval-released.ts';
import { parseCsvRecords } from './csv-records.ts';
import { detectFormat, formatMismatch } from './detect-format.ts';
import { ImportError } from './import-error.ts';
import { hasLoneSurrogate, importText } from './import-text.ts';
import { readInspect } from './inspect.ts';
import { itemMatcher } from './match-items.ts';
import { readPlain } from './plain.ts';
import { readPromptfoo } from './promptfoo.ts';
import { byLine, MAX_CODE_CHARS, type CarriedVerdict, type ForeignAnswer, type ImportFormat, type ImportProblem, type ReadAnswers } from './types.ts';

export interface ImportOptions {
	runsDir: string;
	/** The file to import (with `content`: only the name its bytes go by). */
	path: string;
	/** The file's bytes, read already (standard input: `covw import -`). */
	content?: Uint8Array;
	/** Every item the answers may belong to. */
	items: readonly Item[];
	/** promptfoo: the name of the judge its assertions stand for (default "assertions"). */
	judgeName?: string;
	/** The file's format when the caller knows better than detection (default: detected). */
	format?: ImportFormat;
	onWarning?: (message: string) => void;
}

export interface ImportedRun {
	run_id: string;
	kind: 'generation' | 'judge';
	/** The model (generation) or judge (judge run). */
	who: string;
	task: string;
	rows: number;
	/** Rows written now (0 when the same file was imported before). */
	written: number;
}

export interface ImportResult {
	file: string;
	sha256: string;
	format: ImportFormat;
	/** The file name the runs record as their origin: this file's, or the name the same content was imported under before. */
	imported_as: string;
	/** Answers read from the file. */
	records: number;
	/** Answers matched to an item and imported. */
	imported: number;
	runs: ImportedRun[];
	/** Everything that did not come in, or came in only in part. */
	problems: ImportProblem[];
	/** Judge runs an earlier import of this content made before CARRIED_VERDICTS, or released vul_eval runs named openai/gpt-4o (left on disk, no longer this import's). */
	stale: string[];
}

export { ImportError };

/**
 * Records of a file: CSV by extension, otherwise JSON Lines / JSON documents. A file whose lines
 * mostly parse as JSON objects but some do not (one truncated or hand-edited line) is read as
 * JSON Lines: the good lines are its records, each bad one a problem naming its line. A file
 * where fewer than half the lines parse is refused by name, as before.
 */
export function readRecordFile(path: string, content?: Uint8Array): { text: string; records: SourcedRecord[]; problems: ImportProblem[] } {
	// A FIFO, socket or device is refused by name (reading a FIFO would wait for a writer).
	// UTF-16 is refused by name; bytes that are not UTF-8 are listed per line (import-text.ts).
	const { text, problems: textProblems } = importText(content ?? readRegularFile(path), path);
	const read = recordsOf(text, path);
	return textProblems.length === 0 ? read : { ...read, problems: [...textProblems, ...read.problems] };
}

function recordsOf(text: string, path: string): { text: string; records: SourcedRecord[]; problems: ImportProblem[] } {
	try {
		if (path.toLowerCase().endsWith('.csv')) {
			// A row with the wrong number of fields is listed; most rows must be whole.
			const problems: ImportProblem[] = [];
			const records = parseCsvRecords(text, path, problems);
			if (problems.length > 0 && records.length <= problems.length) throw new RecordError(path, problems[0].line, null, problems[0].message.replace(/; row not imported$/, ''));
			return { text, records, problems };
		}
		return { text, records: parseRecordFile(text, path), problems: [] };
	} catch (e) {
		if (!(e instanceof RecordError)) throw e;
		const lines = path.toLowerCase().endsWith('.csv') ? null : jsonLinesWithBadLines(text, path);
		if (lines) return { text, ...lines };
		throw new ImportError(`${e.message} (not a CSV, JSON Lines or JSON file covw import can read)`);
	}
}

/** JSON Lines records and a problem per line that is not a JSON object, or null unless most lines are. */
function jsonLinesWithBadLines(text: string, path: string): { records: SourcedRecord[]; problems: ImportProblem[] } | null {
	const records: SourcedRecord[] = [];
	const problems: ImportProblem[] = [];
	text.split('\n').forEach((raw, i) => {
		const trimmed = raw.trim();
		if (trimmed === '') return;
		let value: unknown;
		try {
			value = JSON.parse(trimmed);
		} catch (error) {
			problems.push({ file: path, line: i + 1, field: null, message: `invalid JSON (${(error as Error).message}); line not imported` });
			return;
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			problems.push({ file: path, line: i + 1, field: null, message: 'not a JSON object; line not imported' });
			return;
		}
		records.push({ value: value as Record<string, unknown>, file: path, line: i + 1 });
	});
	return records.length > problems.length ? { records, problems } : null;
}

function readAnswers(format: ImportFormat, records: SourcedRecord[], file: string, text: string, judgeName?: string): ReadAnswers {
	if (format === 'coveval-released') return readReleased(records, file);
	if (format === 'promptfoo') return readPromptfoo(records, file, judgeName, text);
	if (format === 'inspect') return readInspect(records, file, text);
	return readPlain(records, file);
}

interface Matched {
	answer: ForeignAnswer;
	item: Item;
	unit_id: string;
}

export async function importRuns(options: ImportOptions): Promise<ImportResult> {
	const path = options.content ? options.path : resolve(options.path);
	const file = basename(path);
	const { text, records, problems: lineProblems } = readRecordFile(path, options.content);
	let format: ImportFormat;
	try {
		format = options.format ?? detectFormat(records, path);
	} catch (e) {
		throw new ImportError((e as Error).message);
	}
	const mismatch = options.format ? formatMismatch(records, options.format) : null;
	if (mismatch) throw new ImportError(`${path}: ${mismatch}: the format was given as ${options.format}; give another, or let it be detected`);
	const sha256 = sha256Hex(text);
	const read = readAnswers(format, records, path, text, options.judgeName);
	const problems = [...lineProblems, ...read.problems];
	const match = itemMatcher(options.items);
	// The same content imported before under another name is that import: its runs are the answer
	// and nothing is written (ids of earlier imports never change). Were they left unfinished, the
	// import resumes them under the earlier name's origin.
	const before = importedBefore(options.runsDir, sha256, format);
	const origin = { file: before?.file ?? file, sha256, format };

	// Match, and refuse a second answer for the same (model, item, sample).
	const groups = new Map<string, Matched[]>();
	const seen = new Set<string>();
	for (const answer of read.answers) {
		// As a labelled set's programs: an answer longer than any function is not imported (a 100 MB
		// answer would be every notebook's to load, in the generations table).
		if (answer.response.length > MAX_CODE_CHARS) {
			problems.push({ file: path, line: answer.line, field: answer.path ? `${answer.path}.response` : 'response', message: `${answer.response.length} characters, more than any answer (at most ${MAX_CODE_CHARS}); record not imported` });
			continue;
		}
		// JSON's \ud800 makes a string that is no text: written out, "m\ud800x" and "m\udfffx" would both be "m\uFFFDx", one model
		const broken = hasLoneSurrogate(answer.model) ? 'model' : answer.verdicts.some((v) => hasLoneSurrogate(v.judge)) ? 'judge' : null;
		if (broken) {
			problems.push({ file: path, line: answer.line, field: answer.path ? `${answer.path} (${broken})` : broken, message: `the ${broken} name holds a lone surrogate (a \\ud800-\\udfff escape without its pair), which is no text: two such names would become one; record not imported` });
			continue;
		}
		if (hasLoneSurrogate(answer.response)) problems.push({ file: path, line: answer.line, field: answer.path ? `${answer.path}.response` : 'response', message: 'holds a lone surrogate (a \\ud800-\\udfff escape without its pair); written as U+FFFD, so the code judged differs from the file' });
		const m = match(answer.key);
		if (!('item' in m)) {
			problems.push({ file: path, line: answer.line, field: answer.path ? `${answer.path}.${m.field}` : m.field, message: `${m.reason}; record not imported` });
			continue;
		}
		const key = JSON.stringify([answer.model, m.item.item_id, answer.sample]);
		if (seen.has(key)) {
			problems.push({ file: path, line: answer.line, field: 'sample', message: `a second answer of ${answer.model} for item ${m.item.item_id}, sample ${answer.sample}; record not imported` });
			continue;
		}
		seen.add(key);
		const group = `${answer.model}\u0000${m.item.task}`;
		const unit_id = unitId({ import: sha256, item_id: m.item.item_id, model: answer.model, sample: answer.sample });
		// pushed, never copied: a copy per row made 40k rows take 52 s (quadratic)
		(groups.get(group) ?? groups.set(group, []).get(group)!).push({ answer, item: m.item, unit_id });
	}

	problems.sort(byLine);
	const imported = [...groups.values()].reduce((n, g) => n + g.length, 0);
	const stale = [...(before?.stale ?? []), ...(before?.oldReadings ?? [])];
	for (const id of before?.oldReadings ?? []) {
		options.onWarning?.(`run ${id} holds the released vul_eval values (the upstream harness's reading) under the name openai/gpt-4o, as imports made before GPT-4o's own answers were read wrote them; this import writes GPT-4o's answers (strict reading) and the harness reading as two judges — remove runs/${id} to keep it out of the run tables`);
	}
	for (const id of before?.stale ?? []) {
		options.onWarning?.(`run ${id} holds the verdicts an earlier import of this file carried, made before answers with no code were kept from verdicts (it may score them); this import's judge runs replace it — remove runs/${id} to keep it out of the run tables`);
	}
	if (before && before.file !== file && before.complete && stale.length === 0) {
		return { file: path, sha256, format, imported_as: before.file, records: read.total + lineProblems.length, imported, runs: before.runs, problems, stale };
	}
	const runs: ImportedRun[] = [];
	for (const matched of groups.values()) {
		const { model } = matched[0].answer;
		const task = matched[0].item.task;
		const genParams = { kind: 'generation', task, model, imported: origin, samples: matched.reduce((max, m) => Math.max(max, m.answer.sample), 0) + 1 }; // no spread: 492k arguments overflow the stack
		const genRunId = derivedRunId('import', [task, model], genParams);
		const genUnits: DirectUnit[] = matched.map(({ answer, item, unit_id }) => {
			const meta: Record<string, MetaValue | boolean> = {
				item_id: item.item_id,
				model,
				prompt_hash: null,
				task: item.task,
				set: item.set,
				cwe: item.cwe,
				language: item.language,
				scenario: item.scenario,
				label: item.label,
				label_class: item.label_class
			};
			return {
				id: unit_id,
				sample: answer.sample,
				meta,
				compute: () => {
					const parsed = parseGeneration(answer.response, { meta } as unknown as WorkUnit);
					return { status: parsed.status, response: answer.response, error: null, fields: parsed.fields };
				}
			};
		});
		const gen = complete(options.runsDir, genRunId, genUnits)
			? { computed: 0 }
			: writeDirectRun({ runsDir: options.runsDir, runId: genRunId, kind: 'generation', params: genParams, datasetHash: itemsHash(uniqueItems(matched)), units: genUnits, onWarning: options.onWarning });
		runs.push({ run_id: genRunId, kind: 'generation', who: model, task, rows: genUnits.length, written: gen.computed });

		// The verdicts the file carries, one judge run per (judge, template). A verdict on an answer
		// whose generation is not 'ok' (no code: a refusal, prose, an empty answer) is not a verdict:
		// its row gets the generation's status, no vulnerable value, the carried value kept as its
		// response — so nothing scores it (rule: code-less answers are statuses, never verdicts).
		// The statuses are the generation run's rows as logged (what the run tables show for them).
		const byJudge = new Map<string, { verdict: CarriedVerdict; m: Matched }[]>();
		for (const m of matched) for (const verdict of m.answer.verdicts) {
			const k = `${verdict.judge}\u0000${verdict.template ?? ''}`;
			(byJudge.get(k) ?? byJudge.set(k, []).get(k)!).push({ verdict, m });
		}
		const genStatus = byJudge.size === 0 ? new Map<string, RowStatus>() : generationStatuses(options.runsDir, genRunId);
		for (const list of byJudge.values()) {
			const { judge, template, reading } = list[0].verdict;
			const params = { kind: 'judge', judge, template, source: { run: genRunId }, imported: origin, carried: carriedVersion(format), ...(reading === undefined ? {} : { reading }) };
			const runId = derivedRunId('import-judge', [judge, genRunId], params);
			const units: DirectUnit[] = list.map(({ verdict, m }) => ({
				id: unitId({ judge, template, target_id: m.unit_id }),
				sample: m.answer.sample,
				meta: {
					target_id: m.unit_id,
					item_id: m.item.item_id,
					model,
					judge,
					template,
					mode: null,
					task: m.item.task,
					cwe: m.item.cwe,
					language: m.item.language,
					source_run_id: genRunId,
					label: m.item.label,
					label_class: m.item.label_class
				},
				compute: () => carriedRow(verdict, genStatus.get(m.unit_id) ?? 'error')
			}));
			const out = complete(options.runsDir, runId, units)
				? { computed: 0 }
				: writeDirectRun({ runsDir: options.runsDir, runId, kind: 'judge', params, datasetHash: null, units, onWarning: options.onWarning });
			runs.push({ run_id: runId, kind: 'judge', who: judge, task, rows: units.length, written: out.computed });
		}

		// Detection answers are verdicts already: read them as our own detection runs are.
		if (task === 'detection') {
			// Nothing new in the generation run and its parse finished before: leave that run as it is.
			const parserRunId = judgeRunIdentity({ judge: PARSER_JUDGE, sourceRunId: genRunId }).runId;
			const before = gen.computed === 0 ? readManifest(join(options.runsDir, parserRunId, MANIFEST_FILE)) : null;
			if (before?.state === 'completed') {
				runs.push({ run_id: parserRunId, kind: 'judge', who: PARSER_JUDGE, task, rows: before.counts.total, written: 0 });
			} else {
				const parsed = await runJudge({ runsDir: options.runsDir, judge: PARSER_JUDGE, sourceRunId: genRunId, onWarning: options.onWarning });
				runs.push({ run_id: parsed.runId, kind: 'judge', who: PARSER_JUDGE, task, rows: parsed.manifest.counts.total, written: parsed.manifest.counts.total });
			}
		}
	}
	const result: ImportResult = { file: path, sha256, format, imported_as: origin.file, records: read.total + lineProblems.length, imported, runs, problems, stale };
	// What came in and what did not, beside each generation run (written once: a re-import leaves it).
	for (const run of runs.filter((r) => r.kind === 'generation')) {
		const report = join(options.runsDir, run.run_id, IMPORT_REPORT);
		if (!existsSync(report)) writeFileAtomic(report, JSON.stringify({ ...result, file, imported_at: new Date().toISOString() }, null, 2) + '\n', { within: checkedFolderUnder(options.runsDir, run.run_id) });
	}
	return result;
}

/**
 * What the imported judge runs' rows mean (carried-legacy.ts). Runs of an import made before
 * keep their ids and stay on disk untouched, read through carried-legacy.ts's correction;
 * importing the file again writes the new runs beside them and names the old ones (importRuns'
 * `stale`).
 */
export { CARRIED_VERDICTS, carriedVersion };

/** The judge row of a carried verdict on an answer whose generation row has status `generation`. */
export function carriedRow(verdict: CarriedVerdict, generation: RowStatus): ReturnType<DirectUnit['compute']> {
	if (generation !== 'ok') return { status: generation, response: verdict.raw, error: null, fields: { vulnerable: null, parse_error: null } };
	// an errored grading is a status, never a verdict (its pass:false is no reading of the code)
	if (verdict.error !== undefined) return { status: 'error', response: verdict.raw, error: verdict.error, fields: { vulnerable: null, parse_error: null } };
	return verdict.vulnerable === null
		? { status: 'unparsed', response: verdict.raw, error: null, fields: { vulnerable: null, parse_error: verdict.reason ?? `imported value ${verdict.raw} is not a verdict` } }
		: { status: 'ok', response: verdict.raw, error: null, fields: { vulnerable: verdict.vulnerable, parse_error: null } };
}

/**
 * The earlier import of this content (same sha256, same format), from the origin recorded in
 * existing import runs' params: the file name it came in under, its runs (each generation run
 * followed by its judge runs, the parser's included) and whether all of them completed. Null
 * when it was never imported.
 */
function importedBefore(runsDir: string, sha256: string, format: ImportFormat): { file: string; runs: ImportedRun[]; complete: boolean; stale: string[]; oldReadings: string[] } | null {
	const manifests: Manifest[] = [];
	for (const id of listRunIds(runsDir)) {
		try {
			const manifest = readManifest(join(runsDir, id, MANIFEST_FILE));
			if (manifest) manifests.push(manifest);
		} catch {
			continue;
		}
	}
	const params = (m: Manifest) => (m.params ?? {}) as { imported?: { file?: unknown; sha256?: unknown; format?: unknown }; source?: { run?: unknown }; model?: unknown; judge?: unknown; task?: unknown; carried?: unknown };
	const ours = manifests.filter((m) => {
		const o = params(m).imported;
		return o?.sha256 === sha256 && o.format === format && typeof o.file === 'string';
	});
	if (ours.length === 0) return null;
	// Judge runs of carried verdicts written before CARRIED_VERDICTS: not this import's any more.
	const isStale = (m: Manifest) => m.kind === 'judge' && params(m).carried !== carriedVersion(format);
	const stale = ours.filter(isStale).map((m) => m.run_id).sort();
	// Released verdicts imported before GPT-4o's own answers were read (coveval-released.ts).
	const oldReadings = ours.filter((m) => !isStale(m) && isOldReleasedReading(m)).map((m) => m.run_id).sort();
	const notOurs = (m: Manifest) => isStale(m) || isOldReleasedReading(m);
	// Several names (imported under two names before this was fixed): the first in sort order, always the same.
	const file = ours.map((m) => params(m).imported!.file as string).sort()[0];
	const gens = ours.filter((m) => m.kind === 'generation' && params(m).imported!.file === file).sort((a, b) => a.run_id.localeCompare(b.run_id));
	const runs: ImportedRun[] = [];
	let complete = true;
	for (const gen of gens) {
		const task = String(params(gen).task ?? '');
		runs.push({ run_id: gen.run_id, kind: 'generation', who: String(params(gen).model ?? ''), task, rows: gen.counts.total, written: 0 });
		complete &&= gen.state === 'completed';
		const judges = manifests.filter((m) => m.kind === 'judge' && params(m).source?.run === gen.run_id && ((params(m).imported !== undefined && !notOurs(m)) || params(m).judge === PARSER_JUDGE));
		for (const j of judges.sort((a, b) => a.run_id.localeCompare(b.run_id))) {
			runs.push({ run_id: j.run_id, kind: 'judge', who: String(params(j).judge ?? ''), task, rows: j.counts.total, written: 0 });
			complete &&= j.state === 'completed';
		}
	}
	return { file, runs, complete: complete && gens.length > 0, stale, oldReadings };
}

/** True when the run exists, completed, with every unit finished: writing it again would change nothing but its manifest. */
function complete(runsDir: string, runId: string, units: readonly DirectUnit[]): boolean {
	let manifest: Manifest | null;
	try {
		manifest = readManifest(join(runsDir, runId, MANIFEST_FILE));
	} catch {
		return false;
	}
	if (manifest?.state !== 'completed') return false;
	const latest = latestRowPerUnit(readRunLog(join(runsDir, runId, LOG_FILE)).rows);
	return units.every((u) => FINISHED.includes(latest.get(u.id)?.status ?? 'error'));
}

/** Each unit's status in a generation run's log (its latest row). */
function generationStatuses(runsDir: string, runId: string): Map<string, RowStatus> {
	const latest = latestRowPerUnit(readRunLog(join(runsDir, runId, LOG_FILE)).rows);
	return new Map([...latest].map(([id, row]) => [id, row.status]));
}

function uniqueItems(matched: readonly Matched[]): Item[] {
	const byId = new Map(matched.map((m) => [m.item.item_id, m.item]));
	return [...byId.values()].sort((a, b) => a.item_id.localeCompare(b.item_id));
}

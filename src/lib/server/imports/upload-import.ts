// The workbench's import (POST /api/imports): a file uploaded from the runs page comes in through
// the same library `covw import` uses (runs/import/) — as runs (released CoV-Eval results,
// promptfoo, Inspect AI, plain JSONL/CSV) or as a labelled item set — and the answer is what the
// CLI prints: runs made, records matched, every record that did not come in with file, line and
// field. Here only what an upload adds:
//   - the file name is the browser's (attacker-chosen): its last path part, in a safe alphabet;
//   - an empty or binary (NUL bytes) file is refused by name before any parsing, and so is a
//     non-UTF-8 file of runs (naming the line); a labelled set lists its non-UTF-8 records;
//   - the upload is kept under the data folder, in .imports/<sha256>/[<task folder>/]<name> (a
//     dot-folder: never listed as a data table), so the runs' origin (file name, sha256,
//     format) names a file still there; an upload from which nothing came in is removed again;
//   - imports run one at a time (two identical uploads at once do not race for a run's lock).
// Importing the same file again writes nothing new (run ids derive from the origin), as with the
// CLI; a labelled file imported before (same sha256, by the CLI or here) is that set again, whatever
// name it is given now; a labelled set of that name from another file is refused, never overwritten.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../engine/atomic-file.ts';
import { RunLockedError } from '../../engine/run-lock.ts';
import type { Item } from '../../core/items/item.ts';
import { ImportError, importRuns, type ImportedRun } from '../../runs/import/import-runs.ts';
import { checkSetName, importLabelledSet, labelledSetOfSha256, type LabelledSetMeta } from '../../runs/import/labelled-set.ts';
import { labelledCountLines, labelledPrograms } from '../../runs/import/labelled-counts.ts';
import { decodeEscaped, invalidByte } from '../../runs/import/labelled-utf8.ts';
import { IMPORT_FORMATS, problemText, type ImportFormat, type ImportProblem } from '../../runs/import/types.ts';
import { readItemsArrow } from '../../node/coveval/items-arrow.ts';
import { BadRequest, HttpError, publicMessage } from '../http.ts';

/** Where uploads are kept, inside the data folder (a dot-folder: not a table). */
export const UPLOAD_DIR = '.imports';
/** At most this many problems go back in one answer (the count says how many there were). */
export const PROBLEMS_SHOWN = 500;

/** The released results' task, as the upstream folder names it (the reader takes it from there). */
const TASK_FOLDER = { completion: 'code_completion', repair: 'vulnerability_repair', detection: 'vulnerability_detection_classification' } as const;
export type ReleasedTask = keyof typeof TASK_FOLDER;
export const RELEASED_TASKS = Object.keys(TASK_FOLDER) as ReleasedTask[];

const JUDGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface UploadFolders {
	dataDir: string;
	runsDir: string;
	/** The items answers are matched to; default: the imported benchmark (<data>/coveval/items.arrow). */
	loadItems?: () => Promise<Item[]>;
}

export interface UploadRequest {
	kind: 'runs' | 'labelled';
	/** The name the browser gave the file. */
	fileName: string;
	bytes: Uint8Array;
	/** runs: the format, when not detected. */
	format?: ImportFormat;
	/** runs, released CoV-Eval results: the task folder the file came from (else read from its fields). */
	task?: ReleasedTask;
	/** runs, promptfoo: what its assertions stand for (judge "promptfoo/<name>"). */
	judgeName?: string;
	/** labelled: the set's name. */
	setName?: string;
}

/** One record that did not come in: where, and the CLI's line for it. */
export interface UploadProblem {
	line: number | null;
	field: string | null;
	message: string;
	/** `<file>:<line>: field "<field>": <message>`, as `covw import` prints it. */
	text: string;
}

export interface RunsImportAnswer {
	kind: 'runs';
	file: string;
	sha256: string;
	format: ImportFormat;
	/** True when the format was detected (not given). */
	detected: boolean;
	records: number;
	imported: number;
	/** Every run was there already: this file (or the same content under another name) was imported before. */
	already: boolean;
	/** The file name the runs record as their origin: this upload's, or the name the same content came in under before. */
	imported_as: string;
	runs: ImportedRun[];
	problems: UploadProblem[];
	problems_total: number;
}

/** The set's counts as `covw import --labelled` records them (unsupported languages counted, not imported). */
export type LabelledImportAnswer = Pick<LabelledSetMeta, 'file' | 'sha256' | 'records' | 'bad_lines' | 'programs' | 'items' | 'vulnerable' | 'secure' | 'pairs' | 'unsupported' | 'not_imported'> & {
	kind: 'labelled';
	set: string;
	/** False when this set was imported from this very file before (nothing written). */
	written: boolean;
	/** The set of the same file (same sha256) imported before under another name than the one asked: reused, nothing written. */
	imported_as: string | null;
	/** The CLI's "counts: … = imported + unsupported + not imported" line and its notes (labelled-counts.ts). */
	counts: string[];
	/** Bad records (the unsupported-language ones are counted instead, as the CLI does). */
	problems: UploadProblem[];
	problems_total: number;
};

export type UploadAnswer = RunsImportAnswer | LabelledImportAnswer;

/** The browser's file name as a safe file name: its last path part, letters, digits, ".", "_", "-". */
export function uploadName(raw: string): string {
	const last = raw.split(/[\\/]/).pop() ?? '';
	const name = last
		.replace(/[^A-Za-z0-9._-]+/g, '_')
		.replace(/^[._-]+/, '')
		.slice(-100);
	if (!/[A-Za-z0-9]/.test(name)) throw new BadRequest(`file name ${JSON.stringify(raw.slice(0, 100))} has no usable name (letters or digits)`);
	return name;
}

/**
 * Refuses what no reader can take, naming the file: empty, binary, and — unless `utf8PerRecord`
 * (a labelled set: a record that is not UTF-8 is listed as a problem, the rest come in, as the
 * CLI does) — not UTF-8, naming the first line that is not.
 */
export function checkText(bytes: Uint8Array, name: string, utf8PerRecord = false): void {
	if (bytes.byteLength === 0) throw new HttpError(422, `${name}: the file is empty`);
	if (bytes.includes(0)) throw new HttpError(422, `${name}: a binary file (it has NUL bytes), not JSON, JSON Lines or CSV text`);
	if (utf8PerRecord) return;
	const text = decodeEscaped(bytes);
	const bad = invalidByte(text);
	if (bad) {
		const before = text.slice(0, bad.at);
		const line = before.split('\n').length;
		const column = bad.at - before.lastIndexOf('\n');
		throw new HttpError(422, `${name}:${line}: not UTF-8 text (byte 0x${bad.byte.toString(16).toUpperCase()} at character ${column}; JSON, JSON Lines and CSV files must be UTF-8: convert it, e.g. iconv -f latin1 -t utf-8)`);
	}
}

export function parseFormat(value: string | null | undefined): ImportFormat | undefined {
	if (value === null || value === undefined || value === '' || value === 'auto') return undefined;
	if (!(IMPORT_FORMATS as readonly string[]).includes(value)) throw new BadRequest(`format must be auto or one of ${IMPORT_FORMATS.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
	return value as ImportFormat;
}

export function parseTask(value: string | null | undefined): ReleasedTask | undefined {
	if (value === null || value === undefined || value === '' || value === 'auto') return undefined;
	if (!(RELEASED_TASKS as string[]).includes(value)) throw new BadRequest(`task must be auto or one of ${RELEASED_TASKS.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
	return value as ReleasedTask;
}

let queue: Promise<unknown> = Promise.resolve();

/** Imports one uploaded file (one import at a time). */
export function importUpload(folders: UploadFolders, request: UploadRequest): Promise<UploadAnswer> {
	const next = queue.then(() => importNow(folders, request));
	queue = next.catch(() => {});
	return next;
}

async function importNow(folders: UploadFolders, request: UploadRequest): Promise<UploadAnswer> {
	const name = uploadName(request.fileName);
	// Everything about the request is checked before anything is written.
	if (request.kind === 'labelled') {
		if (request.setName === undefined || request.setName === '') throw new BadRequest('a labelled set needs a set name');
		try {
			checkSetName(request.setName);
		} catch (e) {
			throw new BadRequest((e as Error).message);
		}
	} else if (request.judgeName !== undefined && !JUDGE_NAME.test(request.judgeName)) {
		throw new BadRequest(`judge name ${JSON.stringify(request.judgeName.slice(0, 80))} must be letters, digits, ".", "_" or "-" (at most 64)`);
	}
	checkText(request.bytes, name, request.kind === 'labelled');
	const items = request.kind === 'runs' ? await (folders.loadItems ?? (() => benchmarkItems(folders.dataDir)))() : [];

	const sha256 = createHash('sha256').update(request.bytes).digest('hex');
	const folder = request.kind === 'runs' && request.task ? join(UPLOAD_DIR, sha256, TASK_FOLDER[request.task]) : join(UPLOAD_DIR, sha256);
	const path = join(folders.dataDir, folder, name);
	const fresh = !existsSync(path);
	if (fresh) {
		mkdirSync(dirname(path), { recursive: true });
		writeFileAtomic(path, request.bytes);
	}
	// The stored path never reaches the browser: messages name the file as the user knows it
	// (and any other server path is cut as every answer cuts it).
	const shown = (text: string) => publicMessage(text.split(path).join(name));
	const problems = (list: ImportProblem[]) => ({
		problems: list.slice(0, PROBLEMS_SHOWN).map((p) => ({ line: p.line, field: p.field, message: shown(p.message), text: shown(problemText({ ...p, file: name })) })),
		problems_total: list.length
	});
	// A new upload from which nothing came in is not kept. (After an unexpected failure it is:
	// some runs may already name it as their origin.)
	let drop = false;
	try {
		if (request.kind === 'labelled') {
			// The same file imported before (by the CLI or here) under any name: that set, not a second one
			// every judge run would have to be redone for.
			const before = labelledSetOfSha256(folders.dataDir, sha256);
			const out = before ? { meta: before, written: false } : await importLabelledSet({ dataDir: folders.dataDir, path, name: request.setName! });
			drop = !out.written;
			const m = out.meta;
			return {
				kind: 'labelled',
				file: m.file,
				sha256: m.sha256,
				set: m.name,
				written: out.written,
				imported_as: m.name !== request.setName ? m.name : null,
				records: m.records,
				bad_lines: m.bad_lines ?? 0,
				programs: labelledPrograms(m),
				items: m.items,
				vulnerable: m.vulnerable,
				secure: m.secure,
				pairs: m.pairs,
				unsupported: m.unsupported,
				not_imported: m.not_imported ?? {},
				counts: labelledCountLines(m),
				...problems(m.problems.filter((p) => p.field !== 'language'))
			};
		}
		const result = await importRuns({ runsDir: folders.runsDir, path, items, format: request.format, judgeName: request.judgeName, onWarning: (m) => console.warn(`covw import (workbench): ${shown(m)}`) });
		// Content imported before under another name: its runs name that upload, not this one.
		drop = result.imported === 0 || (result.imported_as !== name && result.runs.every((r) => r.written === 0));
		return {
			kind: 'runs',
			file: name,
			sha256: result.sha256,
			format: result.format,
			detected: request.format === undefined,
			records: result.records,
			imported: result.imported,
			already: result.runs.length > 0 && result.runs.every((r) => r.written === 0),
			imported_as: result.imported_as,
			runs: result.runs,
			...problems(result.problems)
		};
	} catch (e) {
		if (e instanceof ImportError) {
			// Refused before anything was written (unreadable file, unknown format, a set of that name).
			drop = true;
			throw new HttpError(422, shown(e.message));
		}
		if (e instanceof RunLockedError) throw new HttpError(409, shown(e.message));
		throw e;
	} finally {
		if (fresh && drop) removeUpload(folders.dataDir, path);
	}
}

function removeUpload(dataDir: string, path: string): void {
	rmSync(path, { force: true });
	const top = join(dataDir, UPLOAD_DIR);
	for (let dir = dirname(path); dir.startsWith(top + '/') && existsSync(dir) && readdirSync(dir).length === 0; dir = dirname(dir)) rmSync(dir, { recursive: true, force: true });
}

async function benchmarkItems(dataDir: string): Promise<Item[]> {
	const path = join(dataDir, 'coveval', 'items.arrow');
	if (!existsSync(path)) throw new HttpError(409, 'no benchmark items to match answers to (datasets/coveval/items.arrow): import the benchmark first with covw data import <path>');
	return readItemsArrow(path);
}

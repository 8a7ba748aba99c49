// A user's labelled programs as a named item set, from our own JSONL/CSV (id, code, language,
// cwe, label vulnerable|secure, optional pair_id) or a public labelled-vulnerability dataset read
// directly — SVEN, PrimeVul, DiverseVul, Big-Vul/MSR, CVEfixes method exports — recognised by its
// fields or named with --format (labelled-formats.ts maps each). Stored in the data folder as
// labelled/<name>.items.arrow (the benchmark's item schema: task "reference", set <name>, label
// vulnerable / non_vulnerable, scenario = pair id) beside labelled/<name>.meta.json (origin file,
// sha256, format, counts, problems), so `covw judge --items <name>` judges it with any judge.
// The file is streamed (labelled-stream.ts) and the items written batch by batch
// (labelled-arrow-writer.ts): a 500 MB dataset is never held whole.
// Every program of the file is counted once: imported, unsupported (a language no judge reads:
// anything but C and Python; C++ included) or not imported for a listed reason (empty, absurdly
// large, a duplicate of an earlier program with the same label, no CWE or only NVD's placeholder,
// no language, a repeated id, a bad label); each problem names file, line and field. A before/after
// pair is two programs sharing a pair id (before = vulnerable, after = secure). An existing set is
// never overwritten.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CWE_IDS, type CweId, type Language } from '../../core/cwe.ts';
import { ITEM_SETS, type Item, type ItemSet } from '../../core/items/item.ts';
import { readRegularText } from '../../engine/atomic-file.ts';
import { readItemsArrow, writeFileAtomic } from '../../node/coveval/items-arrow.ts';
import { ImportError } from './import-runs.ts';
import { ItemsArrowWriter } from './labelled-arrow-writer.ts';
import { claimLabelledName } from './labelled-claim.ts';
import { chooseCwe, detectLabelledFormat, FORMAT_SPECS, LABELLED_FORMATS, normalizeLanguage, type CandidateProgram, type LabelledFormat } from './labelled-formats.ts';
import { fileSha256, LabelledFileError, streamRecords } from './labelled-stream.ts';
import { byLine, MAX_CODE_CHARS, type ImportProblem } from './types.ts';

export const LABELLED_DIR = 'labelled';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const JUDGED_LANGUAGES: readonly Language[] = ['c', 'python'];
export { MAX_CODE_CHARS };
/** Problems kept in the meta (all are counted in problems_total and problem_counts). */
export const PROBLEMS_KEPT = 1000;
/** Of the notes on unsupported programs, the first few are kept (all are counted). */
const UNSUPPORTED_NOTES_KEPT = 20;
/** Notes on imported programs kept in the meta (all are counted in notes_total). */
const NOTES_KEPT = 100;
const BENCHMARK_CWES = new Set<string>(CWE_IDS);

export interface LabelledSetMeta {
	name: string;
	file: string;
	sha256: string;
	/** The format read, and whether it was given (--format) or detected from the fields. */
	format: LabelledFormat;
	format_given: boolean;
	/** --language: the language of records that give none. */
	language_default: string | null;
	/** Records in the file, readable or not (bad_lines of them unreadable). */
	records: number;
	bad_lines: number;
	/** Programs the readable records hold: items + unsupported + not_imported, always. */
	programs: number;
	items: number;
	vulnerable: number;
	secure: number;
	pairs: number;
	/** Programs in a language no judge reads, per language: not in the set, counted. */
	unsupported: Record<string, number>;
	/** Programs not imported, per reason (empty, oversized, duplicate, cwe, language, id, label, …). */
	not_imported: Record<string, number>;
	/** Imported programs whose exact code an earlier program has with the other label. */
	conflicting_labels: number;
	/** Programs whose record lists several CWEs: the first of the benchmark's 18 kept, else the first listed. */
	cwe_from_list: { several: number; benchmark: number; first: number };
	/** Secure sides of a pair that list no CWE and take their vulnerable side's. */
	cwe_from_pair: number;
	/** Imported programs whose CWE is not one of the benchmark's 18. */
	outside_benchmark_cwes: number;
	/**
	 * The first PROBLEMS_KEPT problems (by line); a program in an unsupported language is a note
	 * with field "language" (the first UNSUPPORTED_NOTES_KEPT kept).
	 */
	problems: ImportProblem[];
	/** All problems and notes, listed or not. */
	problems_total: number;
	/** Problems per field ("language (unsupported)" for the notes on unsupported programs). */
	problem_counts: Record<string, number>;
	/**
	 * Notes on programs that did come in (the first NOTES_KEPT): the same code as an earlier
	 * program of the other label; a third program for a pair (imported without a pair).
	 */
	notes: ImportProblem[];
	notes_total: number;
	imported_at: string;
}

export interface LabelledSet {
	meta: LabelledSetMeta;
	items: Item[];
}

export interface LabelledReadOptions {
	/** Force a format instead of detecting it from the first record's fields. */
	format?: LabelledFormat;
	/** The language of records that give none (neither a field nor a file name extension). */
	language?: string;
	/** The file's bytes, read already (standard input: `covw import --labelled <name> -`); the path then only names them. */
	content?: Uint8Array;
}

export const labelledPaths = (dataDir: string, name: string) => ({
	items: join(dataDir, LABELLED_DIR, `${name}.items.arrow`),
	meta: join(dataDir, LABELLED_DIR, `${name}.meta.json`)
});

export function checkSetName(name: string): void {
	if (!NAME.test(name)) throw new ImportError(`set name "${name}" must be letters, digits, "_" or "-" (at most 64)`);
	if ((ITEM_SETS as readonly string[]).includes(name)) throw new ImportError(`"${name}" is a benchmark set; give the labelled set another name`);
}

type Counts = Omit<LabelledSetMeta, 'imported_at'>;

/**
 * Reads a labelled file as a stream, handing each item to `onItem` in file order; the counts and
 * problems when done. Throws ImportError on a file in no known format or a broken one.
 */
export async function scanLabelledFile(path: string, name: string, options: LabelledReadOptions, onItem: (item: Item) => void): Promise<Counts> {
	checkSetName(name);
	const file = options.content ? path : resolve(path);
	const languageDefault = options.language === undefined ? null : normalizeLanguage(options.language);
	if (options.language !== undefined && !languageDefault) throw new ImportError(`--language must name a language (c or python), got ${JSON.stringify(options.language)}`);
	const problems: ImportProblem[] = [];
	let problemsTotal = 0;
	const problemCounts: Record<string, number> = {};
	let unsupportedKept = 0;
	const note = (line: number, field: string, message: string, unsupportedNote = false) => {
		problemsTotal++;
		const key = unsupportedNote ? `${field} (unsupported)` : field;
		problemCounts[key] = (problemCounts[key] ?? 0) + 1;
		// the notes of unsupported programs (counted in `unsupported`) never crowd out the problems
		if (unsupportedNote && unsupportedKept++ >= UNSUPPORTED_NOTES_KEPT) return;
		if (problems.length < PROBLEMS_KEPT) problems.push({ file, line, field, message });
	};
	/** Something worth knowing about a program that came in (not a problem: nothing was lost). */
	const notes: ImportProblem[] = [];
	let notesTotal = 0;
	const remark = (line: number, field: string, message: string) => {
		notesTotal++;
		if (notes.length < NOTES_KEPT) notes.push({ file, line, field, message });
	};
	const unsupported: Record<string, number> = {};
	const notImported: Record<string, number> = {};
	const drop = (reason: string, n = 1) => (notImported[reason] = (notImported[reason] ?? 0) + n);
	const cweFromList = { several: 0, benchmark: 0, first: 0 };
	let cweFromPair = 0;
	let outside = 0;
	let conflicting = 0;
	let programs = 0;
	let records = 0;
	let badLines = 0;
	let items = 0;
	let vulnerable = 0;
	let secure = 0;
	const ids = new Set<string>();
	/** sha1 of code → labels seen (1 vulnerable, 2 secure) and the first id. */
	const codes = new Map<string, { labels: number; id: string }>();
	/** pair key → sides imported (1 vulnerable, 2 secure). */
	const pairSides = new Map<string, number>();

	let format: LabelledFormat | null = options.format ?? null;
	const spec = () => FORMAT_SPECS[format!];

	const admit = (p: CandidateProgram, line: number) => {
		programs++;
		if (p.code === null || p.code.trim() === '') {
			drop('empty');
			return note(line, p.codeField, `missing or empty for ${p.id}; program not imported`);
		}
		if (p.code.length > MAX_CODE_CHARS) {
			drop('oversized');
			return note(line, p.codeField, `${p.code.length} characters for ${p.id}, more than any function (at most ${MAX_CODE_CHARS}); program not imported`);
		}
		const language = p.language ?? languageDefault;
		if (!language) {
			drop('language');
			return note(line, p.languageField ?? 'language', `no language for ${p.id}: the record has no language field and no file name with a known extension; give --language c or --language python; program not imported`);
		}
		if (!JUDGED_LANGUAGES.includes(language as Language)) {
			unsupported[language] = (unsupported[language] ?? 0) + 1;
			return note(line, 'language', `${JSON.stringify(language)} is a language no judge reads (C and Python only); counted as unsupported, not imported`, true);
		}
		const choice = chooseCwe(p.cwes);
		if (!choice.cwe) {
			drop('cwe');
			return note(line, p.cweField, `${choice.problem} for ${p.id}; program not imported`);
		}
		if (choice.how === 'benchmark' || choice.how === 'first') {
			cweFromList.several++;
			cweFromList[choice.how]++;
		}
		if (ids.has(p.id)) {
			drop('id');
			return note(line, 'id', `duplicate id ${JSON.stringify(p.id)}; program not imported`);
		}
		const hash = createHash('sha1').update(p.code).digest('base64');
		const bit = p.label === 'vulnerable' ? 1 : 2;
		const seen = codes.get(hash);
		if (seen && seen.labels & bit) {
			drop('duplicate');
			return note(line, p.codeField, `the same code as ${seen.id}, with the same label; program ${p.id} not imported`);
		}
		if (seen) {
			conflicting++;
			remark(line, p.codeField, `the same code as ${seen.id}, which is labelled ${bit === 1 ? 'secure' : 'vulnerable'}; imported, counted as a conflicting label`);
		}
		codes.set(hash, { labels: (seen?.labels ?? 0) | bit, id: seen?.id ?? p.id });
		ids.add(p.id);
		let scenario = p.pairKey ?? '';
		if (scenario) {
			const sides = pairSides.get(scenario) ?? 0;
			if (sides & bit) {
				remark(line, 'pair', `pair ${JSON.stringify(scenario)} has a ${p.label} program already; ${p.id} imported without a pair`);
				scenario = '';
			} else pairSides.set(scenario, sides | bit);
		}
		const cwe = choice.cwe;
		if (!BENCHMARK_CWES.has(cwe)) outside++;
		items++;
		if (bit === 1) vulnerable++;
		else secure++;
		onItem({
			item_id: `${name}/${p.id}`,
			task: 'reference',
			set: name as ItemSet,
			cwe,
			language: language as Language,
			scenario,
			code: p.code,
			label: bit === 1 ? 'vulnerable' : 'non_vulnerable',
			label_class: bit === 1 ? cwe : 'non_vulnerable',
			source: `${basename(file)}:${line}`
		});
	};

	/** A secure side that lists no CWE takes its vulnerable side's (one fix, one weakness). */
	const shareCwe = (a: CandidateProgram, b: CandidateProgram) => {
		for (const [to, from] of [[a, b], [b, a]] as const) {
			if (to.label === 'secure' && to.cwes.length === 0 && from.cwes.length > 0) {
				to.cwes = from.cwes;
				cweFromPair++;
			}
		}
	};

	/** PrimeVul / DiverseVul: the one-record program held until the next record says whether it pairs. */
	let held: { p: CandidateProgram; line: number } | null = null;
	const { records: stream, sha256 } = streamRecords(file, options.content);
	try {
		for await (const entry of stream) {
			if ('problem' in entry) {
				records++;
				badLines++;
				problemsTotal++;
				const key = entry.problem.message.startsWith('not UTF-8') ? '(not UTF-8)' : '(line)';
				problemCounts[key] = (problemCounts[key] ?? 0) + 1;
				if (problems.length < PROBLEMS_KEPT) problems.push(entry.problem);
				continue;
			}
			records++;
			const { value, line } = entry;
			if (format === null) {
				format = detectLabelledFormat(value);
				if (format === null) throw new ImportError(`${file}:${line}: the fields ${JSON.stringify(Object.keys(value).slice(0, 12))} are of no labelled format covw reads (${LABELLED_FORMATS.map((f) => `${f}: ${FORMAT_SPECS[f].signature.join(', ')}`).join('; ')}); give --format to name one`);
			} else if (records - badLines === 1) {
				const missing = spec().signature.filter((f) => !(f in value));
				if (missing.length > 0) throw new ImportError(`${file}:${line}: the format was given as ${format}, but the first record has no field ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
			}
			const result = spec().read(value, line);
			for (const pr of result.problems) {
				drop(pr.reason, pr.programs);
				programs += pr.programs;
				note(line, pr.field, `${pr.message}${pr.programs > 0 && result.programs.length === 0 ? '; record not imported' : ''}`);
			}
			const consecutive = format === 'primevul' || format === 'diversevul';
			if (!consecutive) {
				if (result.programs.length === 2) shareCwe(result.programs[0], result.programs[1]);
				for (const p of result.programs) admit(p, line);
				continue;
			}
			const cur = result.programs[0];
			if (!cur) continue;
			if (held && cur.consecutiveKey && held.p.consecutiveKey === cur.consecutiveKey && held.p.label !== cur.label) {
				const key = `${held.p.id}+${cur.id}`;
				held.p.pairKey = key;
				cur.pairKey = key;
				shareCwe(held.p, cur);
				admit(held.p, held.line);
				admit(cur, line);
				held = null;
				continue;
			}
			if (held) admit(held.p, held.line);
			held = { p: cur, line };
		}
		if (held) admit(held.p, held.line);
	} catch (e) {
		if (e instanceof LabelledFileError) throw new ImportError(e.message);
		throw e;
	}
	if (records === 0) throw new ImportError(`${file}: no record in the file`);
	if (records - badLines <= badLines) {
		const first = problems.find((p) => p.field === null || p.message.startsWith('not UTF-8'));
		if (first?.field) throw new ImportError(`${file}: ${badLines} of ${records} record(s) are unreadable (the first: line ${first.line}, field ${first.field}: ${first.message})`);
		throw new ImportError(`${file}: ${badLines} of ${records} line(s) are not JSON objects (the first: line ${first?.line ?? '?'}); not a CSV, JSON Lines or JSON file covw import can read`);
	}
	const accounted = items + Object.values(unsupported).reduce((a, b) => a + b, 0) + Object.values(notImported).reduce((a, b) => a + b, 0);
	if (accounted !== programs) throw new Error(`internal: ${programs} programs but ${accounted} accounted for`);
	return {
		name,
		file: basename(file),
		sha256: sha256(),
		format: format ?? 'covw',
		format_given: options.format !== undefined,
		language_default: languageDefault,
		records,
		bad_lines: badLines,
		programs,
		items,
		vulnerable,
		secure,
		pairs: [...pairSides.values()].filter((s) => s === 3).length,
		unsupported,
		not_imported: notImported,
		conflicting_labels: conflicting,
		cwe_from_list: cweFromList,
		cwe_from_pair: cweFromPair,
		outside_benchmark_cwes: outside,
		problems: problems.sort(byLine),
		problems_total: problemsTotal,
		problem_counts: problemCounts,
		notes,
		notes_total: notesTotal
	};
}

/** Reads a labelled file into items in memory (nothing written); for small files and tests. */
export async function readLabelledFile(path: string, name: string, options: LabelledReadOptions = {}): Promise<Counts & { itemList: Item[] }> {
	const itemList: Item[] = [];
	const counts = await scanLabelledFile(path, name, options, (item) => itemList.push(item));
	return { ...counts, itemList };
}

/** Imports a labelled file as set `name` under dataDir; an existing set of another file is refused. */
export async function importLabelledSet(options: { dataDir: string; path: string; name: string } & LabelledReadOptions): Promise<{ meta: LabelledSetMeta; written: boolean }> {
	checkSetName(options.name);
	const release = claimLabelledName(join(options.dataDir, LABELLED_DIR), options.name);
	try {
		return await importClaimed(options);
	} finally {
		release();
	}
}

async function importClaimed(options: { dataDir: string; path: string; name: string } & LabelledReadOptions): Promise<{ meta: LabelledSetMeta; written: boolean }> {
	const paths = labelledPaths(options.dataDir, options.name);
	if (existsSync(paths.meta)) {
		const old = JSON.parse(readRegularText(paths.meta)) as LabelledSetMeta;
		if (old.sha256 === (await fileSha256(resolve(options.path), options.content))) return { meta: old, written: false };
		throw new ImportError(`labelled set "${options.name}" exists already (from ${old.file}, sha256 ${old.sha256.slice(0, 12)}…); it is not overwritten: choose another name`);
	}
	const writer = new ItemsArrowWriter(paths.items);
	let counts: Counts;
	try {
		counts = await scanLabelledFile(options.path, options.name, options, (item) => writer.add(item));
		if (counts.items === 0) throw new ImportError(`${options.content ? options.path : resolve(options.path)}: no record could be imported (${counts.problems_total} problem(s)${counts.problems[0] ? `; the first: line ${counts.problems[0].line}, field ${counts.problems[0].field}: ${counts.problems[0].message}` : ''})`);
	} catch (e) {
		writer.abort();
		throw e;
	}
	writer.finish();
	const meta: LabelledSetMeta = { ...counts, imported_at: new Date().toISOString() };
	await writeFileAtomic(paths.meta, JSON.stringify(meta, null, 2) + '\n');
	return { meta, written: true };
}

/** The first stored set (by name) imported from a file with this sha256, or null: a file is imported once, whatever name it is given again. */
export function labelledSetOfSha256(dataDir: string, sha256: string): LabelledSetMeta | null {
	const dir = join(dataDir, LABELLED_DIR);
	if (!existsSync(dir)) return null;
	for (const f of readdirSync(dir).filter((f) => f.endsWith('.meta.json')).sort()) {
		const name = f.slice(0, -'.meta.json'.length);
		if (!NAME.test(name) || !existsSync(labelledPaths(dataDir, name).items)) continue;
		try {
			const meta = JSON.parse(readRegularText(join(dir, f))) as LabelledSetMeta;
			if (meta.sha256 === sha256) return meta;
		} catch {
			// an unreadable meta is no set to reuse
		}
	}
	return null;
}

/** A stored labelled set, or null when there is none of that name. */
export async function loadLabelledSet(dataDir: string, name: string): Promise<LabelledSet | null> {
	if (!NAME.test(name)) return null;
	const paths = labelledPaths(dataDir, name);
	if (!existsSync(paths.meta) || !existsSync(paths.items)) return null;
	return { meta: JSON.parse(readRegularText(paths.meta)) as LabelledSetMeta, items: await readItemsArrow(paths.items) };
}

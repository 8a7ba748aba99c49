// A user's labelled programs as a named item set: a JSONL or CSV file with id, code, language,
// cwe, label (vulnerable | secure) and optionally pair_id (a program before and after its fix
// share one). Stored in the data folder as labelled/<name>.items.arrow (the benchmark's item
// schema: task "reference", set <name>, label vulnerable / non_vulnerable, scenario = pair_id)
// beside labelled/<name>.meta.json (origin file, sha256, counts, problems), so
// `covw judge --items <name>` judges it with any judge. Programs in a language no judge reads
// (anything but C and Python) are counted as unsupported, never scored. Bad records are listed
// with file, line and field; the good ones come in. An existing set is never overwritten.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CweId, Language } from '../../core/cwe.ts';
import { ITEM_SETS, type Item, type ItemSet } from '../../core/items/item.ts';
import { sha256Hex } from '../../engine/canonical-json.ts';
import { readItemsArrow, writeFileAtomic, writeItemsArrow } from '../../node/coveval/items-arrow.ts';
import { readRecordFile, ImportError } from './import-runs.ts';
import { byLine, type ImportProblem } from './types.ts';

export const LABELLED_DIR = 'labelled';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const JUDGED_LANGUAGES: readonly Language[] = ['c', 'python'];

export interface LabelledSetMeta {
	name: string;
	file: string;
	sha256: string;
	records: number;
	items: number;
	vulnerable: number;
	secure: number;
	pairs: number;
	/** Programs in a language no judge reads, per language: not in the set, counted. */
	unsupported: Record<string, number>;
	problems: ImportProblem[];
	imported_at: string;
}

export interface LabelledSet {
	meta: LabelledSetMeta;
	items: Item[];
}

export const labelledPaths = (dataDir: string, name: string) => ({
	items: join(dataDir, LABELLED_DIR, `${name}.items.arrow`),
	meta: join(dataDir, LABELLED_DIR, `${name}.meta.json`)
});

export function checkSetName(name: string): void {
	if (!NAME.test(name)) throw new ImportError(`set name "${name}" must be letters, digits, "_" or "-" (at most 64)`);
	if ((ITEM_SETS as readonly string[]).includes(name)) throw new ImportError(`"${name}" is a benchmark set; give the labelled set another name`);
}

/** Reads a labelled file into items (nothing written). */
export function readLabelledFile(path: string, name: string): Omit<LabelledSetMeta, 'imported_at'> & { itemList: Item[] } {
	checkSetName(name);
	const file = resolve(path);
	const { text, records, problems: lineProblems } = readRecordFile(file);
	const problems: ImportProblem[] = [...lineProblems];
	const unsupported: Record<string, number> = {};
	const items: Item[] = [];
	const seen = new Set<string>();
	const bad = (line: number, field: string, message: string) => problems.push({ file, line, field, message: `${message}; record not imported` });
	for (const { value, line } of records) {
		const text = (k: string) => (typeof value[k] === 'string' ? (value[k] as string) : typeof value[k] === 'number' ? String(value[k]) : null);
		const id = text('id');
		if (!id) { bad(line, 'id', 'missing or empty'); continue; }
		const code = text('code');
		if (code === null || code.trim() === '') { bad(line, 'code', `missing or empty for ${id}`); continue; }
		const label = text('label')?.trim().toLowerCase() ?? null;
		if (label !== 'vulnerable' && label !== 'secure') { bad(line, 'label', `must be "vulnerable" or "secure", got ${JSON.stringify(value.label ?? null)}`); continue; }
		const cweMatch = /^cwe-?(\d+)$/i.exec(text('cwe')?.trim() ?? '');
		if (!cweMatch) { bad(line, 'cwe', `must look like CWE-89, got ${JSON.stringify(value.cwe ?? null)}`); continue; }
		const language = (text('language') ?? '').trim().toLowerCase();
		if (!JUDGED_LANGUAGES.includes(language as Language)) {
			unsupported[language || '(none)'] = (unsupported[language || '(none)'] ?? 0) + 1;
			problems.push({ file, line, field: 'language', message: `${JSON.stringify(language)} is a language no judge reads (C and Python only); counted as unsupported, not imported` });
			continue;
		}
		if (seen.has(id)) { bad(line, 'id', `duplicate id ${JSON.stringify(id)}`); continue; }
		seen.add(id);
		const cwe = `CWE-${Number(cweMatch[1])}` as CweId;
		items.push({
			item_id: `${name}/${id}`,
			task: 'reference',
			set: name as ItemSet,
			cwe,
			language: language as Language,
			scenario: text('pair_id') ?? '',
			code,
			label: label === 'vulnerable' ? 'vulnerable' : 'non_vulnerable',
			label_class: label === 'vulnerable' ? cwe : 'non_vulnerable',
			source: `${basename(file)}:${line}`
		});
	}
	const pairIds = new Map<string, number>();
	for (const i of items) if (i.scenario) pairIds.set(i.scenario, (pairIds.get(i.scenario) ?? 0) + 1);
	return {
		name,
		file: basename(file),
		sha256: sha256Hex(text),
		records: records.length + lineProblems.length,
		items: items.length,
		vulnerable: items.filter((i) => i.label === 'vulnerable').length,
		secure: items.filter((i) => i.label === 'non_vulnerable').length,
		pairs: [...pairIds.values()].filter((n) => n === 2).length,
		unsupported,
		problems: problems.sort(byLine),
		itemList: items
	};
}

/** Imports a labelled file as set `name` under dataDir; an existing set of another file is refused. */
export async function importLabelledSet(options: { dataDir: string; path: string; name: string }): Promise<{ meta: LabelledSetMeta; written: boolean }> {
	const read = readLabelledFile(options.path, options.name);
	const paths = labelledPaths(options.dataDir, options.name);
	if (existsSync(paths.meta)) {
		const old = JSON.parse(readFileSync(paths.meta, 'utf8')) as LabelledSetMeta;
		if (old.sha256 === read.sha256) return { meta: old, written: false };
		throw new ImportError(`labelled set "${options.name}" exists already (from ${old.file}, sha256 ${old.sha256.slice(0, 12)}…); it is not overwritten: choose another name`);
	}
	if (read.itemList.length === 0) throw new ImportError(`${resolve(options.path)}: no record could be imported (${read.problems.length} problem(s))`);
	const { itemList, ...rest } = read;
	const meta: LabelledSetMeta = { ...rest, imported_at: new Date().toISOString() };
	mkdirSync(join(options.dataDir, LABELLED_DIR), { recursive: true });
	await writeItemsArrow(paths.items, itemList);
	await writeFileAtomic(paths.meta, JSON.stringify(meta, null, 2) + '\n');
	return { meta, written: true };
}

/** A stored labelled set, or null when there is none of that name. */
export async function loadLabelledSet(dataDir: string, name: string): Promise<LabelledSet | null> {
	if (!NAME.test(name)) return null;
	const paths = labelledPaths(dataDir, name);
	if (!existsSync(paths.meta) || !existsSync(paths.items)) return null;
	return { meta: JSON.parse(readFileSync(paths.meta, 'utf8')) as LabelledSetMeta, items: await readItemsArrow(paths.items) };
}

// The public labelled-code formats `covw import --labelled` reads, each recognised by its fields
// (or named with --format) and mapped to programs: a record's code, label, CWE list, language and
// pair. Pure functions: no file access here (labelled-set.ts streams the file and checks the
// programs). The mapping of each format (field → meaning) is documented on its FormatSpec and in
// the README ("Runs from elsewhere, and your own labelled programs"):
//   covw       id, code, language, cwe, label (vulnerable|secure), pair_id — our own; SVEN as kept
//              in ../shared/sven/train.jsonl has exactly these fields (plus origin).
//   sven       upstream SVEN (eth-sri/sven data_train_val/*/cwe-*.jsonl): func_src_before
//              (vulnerable) / func_src_after (secure) of one fix, vul_type "cwe-022", file_name.
//   primevul   PrimeVul (JSONL): idx, func, target 1|0, cwe [list], project, commit_id, file_name.
//   diversevul DiverseVul (JSONL): func, target 1|0, cwe [list], project, commit_id, hash, size,
//              message — no file name, no language: give --language.
//   bigvul     Big-Vul / MSR 2020 (CSV): func_before, func_after, vul 1|0, "CWE ID", lang, …
//   cvefixes   CVEfixes method-level export (method_change joined with file_change and
//              cwe_classification): code, before_change True|False, name/signature,
//              file_change_id, programming_language, filename, cwe_id.

import { CWE_IDS, type CweId } from '../../core/cwe.ts';

export const LABELLED_FORMATS = ['covw', 'sven', 'primevul', 'diversevul', 'bigvul', 'cvefixes'] as const;
export type LabelledFormat = (typeof LABELLED_FORMATS)[number];

export type Label = 'vulnerable' | 'secure';

/** One program a record holds, before the set's checks (empty, size, duplicate, CWE, language). */
export interface CandidateProgram {
	/** Unique within the file (the item id is `<set>/<id>`). */
	id: string;
	code: string | null;
	/** The record field the code came from (for problems). */
	codeField: string;
	label: Label;
	/** The CWEs the record lists, as written. */
	cwes: string[];
	cweField: string;
	/** Normalised language ('c', 'python', 'c++', …) or null when the record gives none. */
	language: string | null;
	/** The field that gave the language, or null. */
	languageField: string | null;
	/** Programs sharing a pair key are the two sides of one fix (before = vulnerable, after = secure). */
	pairKey: string | null;
	/**
	 * Formats whose pairs are two consecutive records (PrimeVul / DiverseVul paired files): the
	 * commit and function this program belongs to; two consecutive records with the same key and
	 * opposite labels become a pair.
	 */
	consecutiveKey: string | null;
}

/** A record-level problem: no program of this record comes in. */
export interface RecordProblem {
	field: string;
	message: string;
	/** Short reason for the counts ('label', 'code', …). */
	reason: string;
	/** How many programs the record would have given. */
	programs: number;
}

export type RecordResult = { programs: CandidateProgram[]; problems: RecordProblem[]; notes: RecordProblem[] };

export interface FormatSpec {
	name: LabelledFormat;
	title: string;
	/** The fields that identify the format (all present in the first records). */
	signature: readonly string[];
	/** What each field becomes (documentation; printed by `covw import --help`). */
	mapping: string;
	read(value: Record<string, unknown>, line: number): RecordResult;
}

const text = (value: Record<string, unknown>, key: string): string | null => {
	const v = value[key];
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'bigint') return String(v);
	return null;
};

/** The first field of `keys` the record has (not null / absent). */
const firstField = (value: Record<string, unknown>, keys: readonly string[]): string | null => keys.find((k) => value[k] !== undefined && value[k] !== null && value[k] !== '') ?? null;

/** 'C', 'cpp', 'Python 3' … → 'c', 'c++', 'python'; '' → null; others lowercased as they are. */
export function normalizeLanguage(raw: string | null | undefined): string | null {
	const s = (raw ?? '').trim().toLowerCase();
	if (!s) return null;
	if (s === 'c') return 'c';
	if (/^(python|py)\s*[23]?(\.\d+)?$/.test(s)) return 'python';
	if (['c++', 'cpp', 'cxx', 'cc', 'c/c++', 'c/cpp'].includes(s)) return s.startsWith('c/') ? null : 'c++';
	return s;
}

const EXTENSIONS: Record<string, string> = { c: 'c', h: 'c', py: 'python', cpp: 'c++', cc: 'c++', cxx: 'c++', hpp: 'c++', hh: 'c++', hxx: 'c++', 'c++': 'c++' };

/** The language of a file name by its extension (.c/.h → c, .py → python, C++ ones → c++, others → the extension), or null. */
export function languageOfFileName(name: string | null | undefined): string | null {
	const m = /\.([A-Za-z0-9+]+)$/.exec((name ?? '').trim());
	if (!m) return null;
	const ext = m[1].toLowerCase();
	return EXTENSIONS[ext] ?? ext;
}

/**
 * A CWE list as written: an array, a number, "CWE-119", "['CWE-119', 'CWE-20']", "CWE-119,CWE-20",
 * "cwe_78", "CWE 78", "CWE-119 (buffer overflow)", "CWE-79 (OWASP A03:2021)". A value that is
 * wholly numbers ("79", "78,79", "79.0" as pandas writes an int column holding NaN) is CWE numbers
 * — a CSV has no JSON numbers. Once a CWE-N token is found the other digits are ignored (a note,
 * a year, a rank). A value with digits but no CWE token ("CVE-2021-44228", "version 2",
 * "Top 25 #3") is unreadable — returned as written, so chooseCwe names it as a problem — never a
 * CWE guessed from a digit. Unicode dashes (U+2010–2015, U+2212, full-width) count as "-".
 */
export function cweList(value: unknown): string[] {
	if (value === null || value === undefined) return [];
	if (Array.isArray(value)) return value.flatMap((v) => cweList(v));
	if (typeof value === 'number') return [Number.isInteger(value) ? `CWE-${value}` : String(value)];
	if (typeof value !== 'string') return [];
	const s = value.trim().replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-');
	if (!s || s === '[]' || /^(nan|none|null)$/i.test(s)) return [];
	if (/^\d+(\.0+)?([,;\s]+\d+(\.0+)?)*$/.test(s)) return s.split(/[,;\s]+/).map((n) => `CWE-${Number(n)}`);
	const tokens = s.match(/NVD-CWE-[A-Za-z]+|\bCWE[-_ ]?\d+\b/gi) ?? [];
	// no CWE token at all: the value as written, unreadable
	return tokens.length === 0 ? [s] : tokens;
}

const BENCHMARK = new Set<string>(CWE_IDS);

export interface CweChoice {
	cwe: CweId | null;
	/** 'single' (one CWE listed), 'benchmark' (several; the first of the benchmark's 18), 'first' (several, none of the 18: the first). */
	how: 'single' | 'benchmark' | 'first' | null;
	/** Why there is none. */
	problem: string | null;
}

/** Keeps the first CWE of the benchmark's 18 in the list, else the first one; NVD's "no info" entries name no weakness. */
export function chooseCwe(list: readonly string[]): CweChoice {
	const specific: CweId[] = [];
	const vague: string[] = [];
	const unreadable: string[] = [];
	for (const raw of list) {
		const m = /^cwe[-_ ]?(\d+)$/i.exec(raw.trim()); // cweList gives a JSON number its prefix
		if (m && Number(m[1]) > 0) specific.push(`CWE-${Number(m[1])}` as CweId);
		else if (/^NVD-CWE-/i.test(raw.trim())) vague.push(raw.trim());
		else unreadable.push(raw);
	}
	// any part that is no CWE refuses the value: a guess from the rest could be any weakness
	if (unreadable.length > 0) return { cwe: null, how: null, problem: `must look like CWE-89 (CWE-1 or more), got ${JSON.stringify(unreadable[0])}` };
	if (specific.length === 0) {
		if (vague.length > 0) return { cwe: null, how: null, problem: `${vague.map((v) => JSON.stringify(v)).join(', ')} names no weakness (NVD's placeholder); no CWE is guessed` };
		return { cwe: null, how: null, problem: 'no CWE given; no CWE is guessed' };
	}
	const unique = [...new Set(specific)];
	if (unique.length === 1) return { cwe: unique[0], how: 'single', problem: null };
	const ofBenchmark = unique.find((c) => BENCHMARK.has(c));
	return ofBenchmark ? { cwe: ofBenchmark, how: 'benchmark', problem: null } : { cwe: unique[0], how: 'first', problem: null };
}

/** 1/0, true/false, "True"/"False", "1"/"0" → boolean; anything else null. */
export function flag(value: unknown): boolean | null {
	if (value === true || value === 1) return true;
	if (value === false || value === 0) return false;
	if (typeof value === 'string') {
		const s = value.trim().toLowerCase();
		if (s === '1' || s === 'true' || s === '1.0') return true;
		if (s === '0' || s === 'false' || s === '0.0') return false;
	}
	return null;
}

/** The function a C or Python snippet defines: the name before the first "(" of its head. */
export function functionName(code: string): string {
	const head = code.slice(0, 2000);
	const py = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/m.exec(head);
	if (py) return py[1];
	const c = /([A-Za-z_~][\w:~]*)\s*\(/.exec(head);
	return c ? c[1] : '';
}

const problem = (field: string, reason: string, message: string, programs: number): RecordResult => ({ programs: [], problems: [{ field, reason, message, programs }], notes: [] });

/** Language from the record's field, else its file name's extension. */
function languageOf(value: Record<string, unknown>, fields: readonly string[], fileFields: readonly string[]): { language: string | null; field: string | null } {
	for (const f of fields) {
		const l = normalizeLanguage(text(value, f));
		if (l) return { language: l, field: f };
	}
	for (const f of fileFields) {
		const l = languageOfFileName(text(value, f));
		if (l) return { language: l, field: f };
	}
	return { language: null, field: null };
}

const covw: FormatSpec = {
	name: 'covw',
	title: "covw's own labelled JSONL/CSV (also SVEN as kept in ../shared/sven)",
	signature: ['id', 'code', 'label'],
	mapping: 'id → id; code → program; label vulnerable|secure; cwe → CWE; language → language; pair_id → pair',
	read(value) {
		const id = text(value, 'id');
		if (!id) return problem('id', 'id', 'missing or empty', 1);
		const label = text(value, 'label')?.trim().toLowerCase() ?? null;
		if (label !== 'vulnerable' && label !== 'secure') return problem('label', 'label', `must be "vulnerable" or "secure", got ${JSON.stringify(value.label ?? null)}`, 1);
		const { language, field } = languageOf(value, ['language'], ['file_name', 'file']);
		return {
			programs: [{ id, code: text(value, 'code'), codeField: 'code', label, cwes: cweList(value.cwe), cweField: 'cwe', language, languageField: field, pairKey: text(value, 'pair_id') || null, consecutiveKey: null }],
			problems: [],
			notes: []
		};
	}
};

const sven: FormatSpec = {
	name: 'sven',
	title: 'SVEN upstream (eth-sri/sven data_train_val/*/cwe-*.jsonl)',
	signature: ['func_src_before', 'func_src_after'],
	mapping: 'func_src_before → vulnerable, func_src_after → secure (one pair per record); vul_type "cwe-022" → CWE-22; file_name extension → language; func_name in the id',
	read(value, line) {
		const id = `sven-${line}${text(value, 'func_name') ? `-${text(value, 'func_name')}` : ''}`;
		const { language, field } = languageOf(value, ['language', 'lang'], ['file_name']);
		const cwes = cweList(value.vul_type ?? value.cwe);
		const cweField = value.vul_type !== undefined ? 'vul_type' : 'cwe';
		const base = { cwes, cweField, language, languageField: field, pairKey: id, consecutiveKey: null };
		return {
			programs: [
				{ ...base, id: `${id}-before`, code: text(value, 'func_src_before'), codeField: 'func_src_before', label: 'vulnerable' },
				{ ...base, id: `${id}-after`, code: text(value, 'func_src_after'), codeField: 'func_src_after', label: 'secure' }
			],
			problems: [],
			notes: []
		};
	}
};

/** PrimeVul and DiverseVul: one function a record, target 1|0. */
function singleFunction(name: 'primevul' | 'diversevul'): FormatSpec['read'] {
	return (value, line) => {
		const target = flag(value.target);
		if (target === null) return problem('target', 'label', `must be 1 (vulnerable) or 0 (secure), got ${JSON.stringify(value.target ?? null)}`, 1);
		const idx = name === 'primevul' ? text(value, 'idx') : null;
		const id = `${name}-${idx ?? line}`;
		const code = text(value, 'func');
		const { language, field } = languageOf(value, ['language', 'lang'], ['file_name', 'file_path']);
		const commit = `${text(value, 'project') ?? ''}@${text(value, 'commit_id') ?? ''}`;
		return {
			programs: [{ id, code, codeField: 'func', label: target ? 'vulnerable' : 'secure', cwes: cweList(value.cwe), cweField: 'cwe', language, languageField: field, pairKey: null, consecutiveKey: code && text(value, 'commit_id') ? `${commit}:${functionName(code)}` : null }],
			problems: [],
			notes: []
		};
	};
}

const primevul: FormatSpec = {
	name: 'primevul',
	title: 'PrimeVul (primevul_{train,valid,test}[_paired].jsonl)',
	signature: ['func', 'target', 'idx'],
	mapping: 'func → program; target 1 → vulnerable, 0 → secure; cwe list → CWE (first of the 18, else first); file_name extension → language; idx → id; two consecutive records of one commit and function with opposite targets (the paired files) → a pair',
	read: singleFunction('primevul')
};

const diversevul: FormatSpec = {
	name: 'diversevul',
	title: 'DiverseVul (diversevul_20230702.json, JSON Lines)',
	signature: ['func', 'target', 'commit_id'],
	mapping: 'func → program; target 1 → vulnerable, 0 → secure; cwe list → CWE (first of the 18, else first); no language field: --language; id diversevul-<line>; consecutive records of one commit and function with opposite targets → a pair',
	read: singleFunction('diversevul')
};

const BIGVUL_INDEX = ['', 'Unnamed: 0', 'index', 'id'];

const bigvul: FormatSpec = {
	name: 'bigvul',
	title: 'Big-Vul / MSR 2020 (MSR_data_cleaned.csv)',
	signature: ['func_before', 'func_after'],
	mapping: 'vul 1: func_before → vulnerable, func_after → secure (a pair); vul 0 (the record says it is not a fix): func_before → one secure program; "CWE ID" → CWE; lang → language; the index column → id',
	read(value, line) {
		const vul = flag(value.vul);
		if (vul === null) return problem('vul', 'label', `must be 1 (a fix) or 0 (not a fix), got ${JSON.stringify(value.vul ?? null)}`, 1);
		const indexField = BIGVUL_INDEX.find((k) => text(value, k));
		const id = `bigvul-${indexField !== undefined ? text(value, indexField) : `line${line}`}`;
		const cweField = firstField(value, ['CWE ID', 'cwe_id', 'cwe']) ?? 'CWE ID';
		const { language, field } = languageOf(value, ['lang', 'language'], ['file_name']);
		const base = { cwes: cweList(value[cweField]), cweField, language, languageField: field, consecutiveKey: null };
		const before = text(value, 'func_before');
		const after = text(value, 'func_after');
		if (!vul) return { programs: [{ ...base, id, code: before, codeField: 'func_before', label: 'secure', pairKey: null }], problems: [], notes: [] };
		if (before !== null && after !== null && before === after) {
			return {
				programs: [{ ...base, id: `${id}-before`, code: before, codeField: 'func_before', label: 'vulnerable', pairKey: null }],
				problems: [{ field: 'func_after', reason: 'unchanged', message: 'the same text as func_before although vul is 1; the vulnerable side comes in alone, the unchanged "after" does not', programs: 1 }],
				notes: []
			};
		}
		return {
			programs: [
				{ ...base, id: `${id}-before`, code: before, codeField: 'func_before', label: 'vulnerable', pairKey: id },
				{ ...base, id: `${id}-after`, code: after, codeField: 'func_after', label: 'secure', pairKey: id }
			],
			problems: [],
			notes: []
		};
	}
};

const cvefixes: FormatSpec = {
	name: 'cvefixes',
	title: 'CVEfixes method-level export (method_change ⋈ file_change ⋈ cwe_classification)',
	signature: ['code', 'before_change'],
	mapping: 'code → program; before_change True → vulnerable (before the fix), False → secure (after); the two versions of one method (same file_change_id and signature, else name) → a pair; cwe_id → CWE; programming_language, else filename extension → language; method_change_id → id',
	read(value, line) {
		const before = flag(value.before_change);
		if (before === null) return problem('before_change', 'label', `must be True or False, got ${JSON.stringify(value.before_change ?? null)}`, 1);
		const id = `cvefixes-${text(value, 'method_change_id') ?? `line${line}`}`;
		const cweField = firstField(value, ['cwe_id', 'cwe_ids', 'cwe', 'CWE ID']) ?? 'cwe_id';
		const { language, field } = languageOf(value, ['programming_language', 'language', 'lang'], ['filename', 'new_path', 'old_path', 'file_name']);
		const fileChange = text(value, 'file_change_id');
		const method = text(value, 'signature') || text(value, 'name');
		return {
			programs: [{ id, code: text(value, 'code'), codeField: 'code', label: before ? 'vulnerable' : 'secure', cwes: cweList(value[cweField]), cweField, language, languageField: field, pairKey: fileChange && method ? `${fileChange}:${method}` : null, consecutiveKey: null }],
			problems: [],
			notes: []
		};
	}
};

export const FORMAT_SPECS: Readonly<Record<LabelledFormat, FormatSpec>> = { covw, sven, primevul, diversevul, bigvul, cvefixes };

/** Most specific first: a record with func_before is Big-Vul even if it also has id and label. */
const DETECTION_ORDER: readonly LabelledFormat[] = ['sven', 'bigvul', 'cvefixes', 'primevul', 'diversevul', 'covw'];

/** The format whose signature fields the record has, or null. */
export function detectLabelledFormat(value: Record<string, unknown>): LabelledFormat | null {
	for (const name of DETECTION_ORDER) if (FORMAT_SPECS[name].signature.every((f) => f in value)) return name;
	return null;
}

export function isLabelledFormat(value: string): value is LabelledFormat {
	return (LABELLED_FORMATS as readonly string[]).includes(value);
}

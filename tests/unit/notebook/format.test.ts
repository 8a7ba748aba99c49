import { describe, it, expect } from 'vitest';
import { parseNotebook, serializeNotebook, renderCell } from '../../../src/lib/notebook/format.ts';

const roundTrip = (text: string) => serializeNotebook(parseNotebook(text));

const SHAPES: Record<string, string> = {
	empty: '',
	'one newline': '\n',
	'prose only, no final newline': 'Just words',
	'front matter only': '---\ntitle: x\n---\n',
	'front matter, no final newline': '---\ntitle: x\n---',
	'unterminated front matter is markdown': '---\ntitle: x\nbody\n',
	'sql cell': '```sql id=a\nSELECT 1\n```\n',
	'sql cell no final newline': '```sql id=a\nSELECT 1\n```',
	'empty body': '```sql id=a\n```\n',
	'crlf': '---\r\ntitle: t\r\n---\r\nIntro\r\n\r\n```sql id=a\r\nSELECT 1\r\n```\r\n\r\nEnd\r\n',
	'mixed endings': 'a\r\n\n```sql id=a\r\nx\n```\r\n',
	'four backticks with inner fence': '````sql id=a\nSELECT \'```\'\n```\n````\n',
	'tilde fence': '~~~plot id=p from=a\n{"marks": []}\n~~~\n',
	'unclosed fence': 'Intro\n\n```sql id=a\nSELECT 1\n',
	'unclosed, no newline': '```sql id=a',
	'foreign fence stays markdown': 'Text\n\n```python\nprint(1)\n```\n\nMore\n',
	'foreign fence hiding a sql fence': '````md\n```sql id=x\nSELECT 1\n```\n````\n',
	'indented fence': '   ```sql id=a\n   SELECT 1\n   ```\n',
	'trailing blank lines and spaces': '```sql id=a\nSELECT 1\n```\n\n  \n\t\n',
	'leading blank lines': '\n\n\n```sql id=a\nSELECT 1\n```\n',
	'adjacent cells': '```sql id=a\nSELECT 1\n```\n```sql id=b\nSELECT 2\n```\n',
	'closing fence longer and spaced': '```sql id=a\nSELECT 1\n`````   \n',
	'bom': '\uFEFF---\ntitle: b\n---\nx\n',
	'quoted attrs': '```plot id=p from=a title="Hello world"\n{}\n```\n',
	'lone CR kept as text': 'a\rb\n```sql id=a\rx\n```\n'
};

describe('round trip byte for byte', () => {
	for (const [name, text] of Object.entries(SHAPES)) {
		it(name, () => expect(roundTrip(text)).toBe(text));
	}

	it('holds for generated variations (seeded, 600 cases)', () => {
		// A tiny deterministic generator so a failure can be replayed.
		let state = 12345;
		const rand = (n: number) => {
			state = (state * 1103515245 + 12345) % 2147483648;
			return state % n;
		};
		const pieces = [
			'```sql id=a', '```', '````', '~~~', '~~~~', '```plot id=p from=a', '```stats id=s from=a', '```run id=r',
			'```python', '```', '---', 'title: x', 'SELECT * FROM a -- ```', '', ' ', '\t', '   ```', '    ```sql id=z',
			'prose', '# heading', '```sql', '```sql id=1bad', '```sql id=a', '``` sql id=q', '{"marks": []}', '```sql id=`x`'
		];
		const eols = ['\n', '\r\n', '', '\r'];
		for (let c = 0; c < 600; c++) {
			let text = '';
			const count = rand(12);
			for (let k = 0; k < count; k++) text += pieces[rand(pieces.length)] + eols[rand(eols.length)];
			expect(roundTrip(text), JSON.stringify(text)).toBe(text);
		}
	});
});

describe('parse', () => {
	const text = [
		'---',
		'title: Figure 4',
		'author: "Ada"',
		'---',
		'Intro prose.',
		'',
		'```python',
		'not a cell',
		'```',
		'',
		'```sql id=scores',
		'SELECT 1 AS x',
		'```',
		'',
		'```plot id=fig from=scores',
		'{"marks": []}',
		'```',
		'',
		'```run id=r1',
		'```',
		''
	].join('\n');
	const doc = parseNotebook(text);

	it('reads front matter fields, unquoting values', () => {
		expect(doc.frontMatter?.fields).toEqual({ title: 'Figure 4', author: 'Ada' });
	});

	it('splits markdown and code cells, keeping foreign fences in markdown', () => {
		expect(doc.cells.map((c) => [c.kind, c.id, c.line])).toEqual([
			['markdown', null, 5],
			['sql', 'scores', 11],
			['plot', 'fig', 15],
			['run', 'r1', 19]
		]);
		expect(doc.cells[0].source).toBe('Intro prose.\n\n```python\nnot a cell\n```');
		expect(doc.cells[1].source).toBe('SELECT 1 AS x');
		expect(doc.cells[1].sourceLine).toBe(12);
		expect(doc.cells[2].attrs.map((a) => [a.name, a.value])).toEqual([['id', 'fig'], ['from', 'scores']]);
		expect(doc.cells[3].source).toBe('');
		expect(doc.diagnostics).toEqual([]);
	});

	it('uses CRLF for new text when the file does', () => {
		expect(parseNotebook('a\r\nb\n').eol).toBe('\r\n');
		expect(parseNotebook('a\nb\r\n').eol).toBe('\n');
	});

	it('reads quoted attribute values', () => {
		const cell = parseNotebook('```plot id=p title="Two words" note=\'x y\'\n{}\n```\n').cells[0];
		expect(cell.attrs.map((a) => [a.name, a.value])).toEqual([['id', 'p'], ['title', 'Two words'], ['note', 'x y']]);
	});
});

describe('diagnostics carry file lines', () => {
	const text = [
		'# t', //                   1
		'',
		'```sql id=a', //           3
		'SELECT 1',
		'```',
		'',
		'```sql', //                7  missing id
		'SELECT 2',
		'```',
		'',
		'```plot id=1x', //         11 invalid id
		'{}',
		'```',
		'',
		'```stats id=A from=a', //  15 duplicate (case-insensitive)
		'{}',
		'```',
		'',
		'```run', //                19 missing id (a run cell is a view named by its id)
		'```',
		'',
		'```sql id=b !!', //        22 unreadable attribute
		'SELECT 3'
	].join('\n');
	const doc = parseNotebook(text);

	it('missing, invalid and duplicate ids are errors on their cell', () => {
		const [, , missing, invalid, dup, run, unclosed] = doc.cells;
		expect(missing.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 7, field: 'id' })]);
		expect(missing.diagnostics[0].message).toContain('has no id');
		expect(invalid.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 11, field: 'id' })]);
		expect(invalid.diagnostics[0].message).toContain('"1x"');
		expect(dup.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 15, field: 'id' })]);
		expect(dup.diagnostics[0].message).toMatch(/duplicate id "A".*line 3/);
		expect(run.diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 19, field: 'id' })]);
		expect(run.diagnostics[0].message).toBe('run cell on line 19 has no id (add id=name to the fence line)');
		expect(unclosed.diagnostics.map((d) => [d.severity, d.line, d.field])).toEqual([
			['warning', 22, 'attributes'],
			['warning', 22, 'fence']
		]);
	});

	it('the first cell with an id is clean and the document lists everything', () => {
		expect(doc.cells[1].diagnostics).toEqual([]);
		expect(doc.diagnostics.map((d) => d.line)).toEqual([7, 11, 15, 19, 22, 22]);
	});

	it('front matter lines that are not key: value are warnings with their line', () => {
		const fm = parseNotebook('---\ntitle: a\nnot a pair\n---\n');
		expect(fm.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 3, field: 'front matter' })]);
	});

	it('front matter that is never closed is a warning on line 1, and the file is read as Markdown', () => {
		const doc = parseNotebook('---\ntitle: a\n\n```sql id=q\nSELECT 1\n```\n');
		expect(doc.frontMatter).toBeNull();
		expect(doc.diagnostics).toEqual([
			{ severity: 'warning', line: 1, field: 'front matter', message: expect.stringMatching(/front matter opened on line 1 is never closed/) }
		]);
		expect(doc.cells.map((c) => c.kind)).toEqual(['markdown', 'sql']);
		expect(parseNotebook('---\ntitle: a\n---\n').diagnostics).toEqual([]);
		expect(parseNotebook('# no front matter\n---\n').diagnostics).toEqual([]);
	});
});

describe('renderCell (canonical style for new cells)', () => {
	it('writes kind, id and attributes on the fence line', () => {
		expect(renderCell({ kind: 'plot', id: 'p', attrs: { from: 'a', title: 'My plot' }, source: '{}' })).toBe(
			'```plot id=p from=a title="My plot"\n{}\n```\n'
		);
	});
	it('grows the fence when the body contains one', () => {
		expect(renderCell({ kind: 'sql', id: 'a', source: "SELECT 1\n```\n````" })).toBe("`````sql id=a\nSELECT 1\n```\n````\n`````\n");
	});
	it('uses the requested line ending', () => {
		expect(renderCell({ kind: 'sql', id: 'a', source: 'SELECT 1\nFROM t' }, '\r\n')).toBe('```sql id=a\r\nSELECT 1\r\nFROM t\r\n```\r\n');
	});
	it('renders markdown as its text', () => {
		expect(renderCell({ kind: 'markdown', source: 'Hello' })).toBe('Hello\n');
	});
});

import { describe, it, expect } from 'vitest';
import {
	replaceCellSource,
	insertCell,
	deleteCell,
	moveCell,
	renameCell,
	setCellAttribute
} from '../../../src/lib/notebook/edit.ts';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';

const base = [
	'---',
	'title: t',
	'---',
	'Intro.',
	'',
	'```sql id=a',
	'SELECT 1 AS x',
	'```',
	'',
	'```sql id=b',
	"SELECT x, 'a' AS s FROM a -- reads a",
	'```',
	'',
	'```plot id=p from=b',
	'{"marks": [{"type": "dot", "data": "a", "x": "x"}]}',
	'```',
	''
].join('\n');

const ids = (text: string) => parseNotebook(text).cells.map((c) => c.id ?? c.kind);

describe('replaceCellSource', () => {
	it('changes only the body of that cell', () => {
		const out = replaceCellSource(base, 1, 'SELECT 2 AS x\nFROM range(3)');
		expect(out).toBe(base.replace('SELECT 1 AS x\n', 'SELECT 2 AS x\nFROM range(3)\n'));
	});
	it('returns the same text for the same source', () => {
		expect(replaceCellSource(base, 1, 'SELECT 1 AS x')).toBe(base);
	});
	it('keeps CRLF line endings of a CRLF file', () => {
		const crlf = base.replaceAll('\n', '\r\n');
		expect(replaceCellSource(crlf, 1, 'SELECT 3\nAS x')).toBe(crlf.replace('SELECT 1 AS x\r\n', 'SELECT 3\r\nAS x\r\n'));
	});
	it('lengthens the fence when the new body contains a fence line', () => {
		const out = replaceCellSource(base, 1, "SELECT '\n```\n'");
		expect(out).toContain("````sql id=a\nSELECT '\n```\n'\n````\n");
		expect(parseNotebook(out).cells[1].source).toBe("SELECT '\n```\n'");
	});
	it('edits markdown and keeps a missing final newline missing', () => {
		expect(replaceCellSource('```sql id=a\nx\n```\n\nold', 1, 'new text')).toBe('```sql id=a\nx\n```\n\nnew text');
	});
	it('closes an unclosed fence it rewrites', () => {
		expect(replaceCellSource('```sql id=a\nSELECT 1', 0, 'SELECT 2')).toBe('```sql id=a\nSELECT 2\n```\n');
	});
	it('rejects a bad index', () => {
		expect(() => replaceCellSource(base, 9, 'x')).toThrow(/no cell at index 9/);
	});
});

describe('insertCell', () => {
	it('inserts before a cell with one blank line, touching nothing else', () => {
		const out = insertCell(base, 2, { kind: 'sql', id: 'c', source: 'SELECT 3' });
		expect(out).toBe(base.replace('```sql id=b', '```sql id=c\nSELECT 3\n```\n\n```sql id=b'));
		expect(ids(out)).toEqual(['markdown', 'a', 'c', 'b', 'p']);
	});
	it('appends at the end', () => {
		const out = insertCell(base, 4, { kind: 'stats', id: 's', attrs: { from: 'b' }, source: '{"method": "spearman", "columns": ["x"]}' });
		expect(out).toBe(base + '\n```stats id=s from=b\n{"method": "spearman", "columns": ["x"]}\n```\n');
	});
	it('appends after a last line without newline', () => {
		expect(insertCell('Intro', 1, { kind: 'sql', id: 'a', source: 'SELECT 1' })).toBe('Intro\n\n```sql id=a\nSELECT 1\n```\n');
	});
	it('into an empty file', () => {
		expect(insertCell('', 0, { kind: 'sql', id: 'a', source: 'SELECT 1' })).toBe('```sql id=a\nSELECT 1\n```\n');
	});
	it('refuses a duplicate or invalid id', () => {
		expect(() => insertCell(base, 0, { kind: 'sql', id: 'A', source: 'x' })).toThrow(/already used by the cell on line 6/);
		expect(() => insertCell(base, 0, { kind: 'sql', id: 'a-b', source: 'x' })).toThrow(/invalid id/);
	});
});

describe('deleteCell and moveCell', () => {
	it('deletes a cell and its leading blank line', () => {
		expect(deleteCell(base, 2)).toBe(base.replace("```sql id=b\nSELECT x, 'a' AS s FROM a -- reads a\n```\n\n", ''));
	});
	it('deleting the first cell keeps the file opening', () => {
		expect(deleteCell('```sql id=a\nx\n```\n\n```sql id=b\ny\n```\n', 0)).toBe('```sql id=b\ny\n```\n');
	});
	it('moves a cell up, keeping its bytes', () => {
		const out = moveCell(base, 3, 1);
		expect(ids(out)).toEqual(['markdown', 'p', 'a', 'b']);
		expect(out).toContain('```plot id=p from=b\n{"marks": [{"type": "dot", "data": "a", "x": "x"}]}\n```\n\n```sql id=a');
		expect(out.length).toBe(base.length);
	});
	it('moves a cell to the end and back to the same text', () => {
		const down = moveCell(base, 1, 3);
		expect(ids(down)).toEqual(['markdown', 'b', 'p', 'a']);
		expect(moveCell(down, 3, 1)).toBe(base);
	});
	it('moving the last cell without final newline gives it one', () => {
		expect(moveCell('```sql id=a\nx\n```\n\n```sql id=b\ny\n```', 1, 0)).toBe('```sql id=b\ny\n```\n\n```sql id=a\nx\n```\n');
	});
});

describe('renameCell and setCellAttribute', () => {
	it('renames and rewrites the references (SQL identifiers, from=, mark data), not strings or comments', () => {
		const out = renameCell(base, 1, 'base_rows');
		expect(out).toBe(
			base
				.replace('```sql id=a\n', '```sql id=base_rows\n')
				.replace("'a' AS s FROM a -- reads a", "'a' AS s FROM base_rows -- reads a")
				.replace('"data": "a"', '"data": "base_rows"')
		);
		const renamedB = renameCell(base, 2, 'bb');
		expect(renamedB).toContain('```plot id=p from=bb\n');
	});
	it('can leave references alone', () => {
		expect(renameCell(base, 1, 'z', { updateReferences: false })).toBe(base.replace('```sql id=a\n', '```sql id=z\n'));
	});
	it('refuses a clash', () => {
		expect(() => renameCell(base, 1, 'B')).toThrow(/already used/);
	});
	it('sets, changes and removes attributes on the fence line', () => {
		expect(setCellAttribute(base, 3, 'from', 'a')).toContain('```plot id=p from=a\n');
		expect(setCellAttribute(base, 3, 'title', 'T')).toContain('```plot id=p from=b title=T\n');
		expect(setCellAttribute(base, 3, 'from', null)).toContain('```plot id=p\n');
		expect(() => setCellAttribute(base, 0, 'from', 'a')).toThrow(/markdown/);
	});
});

import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../../src/lib/node/datasets/read-csv.ts';
import { DataFileError } from '../../../../src/lib/node/datasets/table-info.ts';
import { columnTypes, columnValues } from './table-values.ts';

const encoder = new TextEncoder();
const csv = (text: string) => readCsv(encoder.encode(text), 'runs/t.csv');

function errorOf(text: string | Uint8Array): string {
	try {
		readCsv(typeof text === 'string' ? encoder.encode(text) : text, 'runs/t.csv');
	} catch (error) {
		expect(error).toBeInstanceOf(DataFileError);
		return (error as Error).message;
	}
	throw new Error('expected the CSV to be rejected');
}

describe('readCsv: RFC 4180 syntax', () => {
	it('reads a header and rows, in column order', () => {
		const table = csv('model,2024,score\nalpha,x,1\nbeta,y,2\n');
		expect(table.numRows).toBe(2);
		expect(table.schema.fields.map((f) => f.name)).toEqual(['model', '2024', 'score']);
		expect(columnValues(table, 'model')).toEqual(['alpha', 'beta']);
		expect(columnValues(table, 'score')).toEqual([1, 2]);
	});

	it('handles quotes, doubled quotes, commas and line breaks inside quotes, CRLF', () => {
		const text = 'id,text\r\n1,"plain"\r\n2,"say ""hi"""\r\n3,"a, b"\r\n4,"two\r\nlines"\r\n5,"x\ny"\r\n';
		const table = csv(text);
		expect(columnValues(table, 'text')).toEqual(['plain', 'say "hi"', 'a, b', 'two\r\nlines', 'x\ny']);
		expect(columnValues(table, 'id')).toEqual([1, 2, 3, 4, 5]);
	});

	it('accepts a missing final newline, a BOM, blank lines, and quoted header names', () => {
		const table = csv('\uFEFF"a ""b""",c\n\n1,2\n\n3,4');
		expect(table.schema.fields.map((f) => f.name)).toEqual(['a "b"', 'c']);
		expect(columnValues(table, 'c')).toEqual([2, 4]);
	});

	it('keeps multi-byte UTF-8 text intact', () => {
		const table = csv('name,note\nzoë,"日本語, ok"\n😀,\n');
		expect(columnValues(table, 'name')).toEqual(['zoë', '😀']);
		expect(columnValues(table, 'note')).toEqual(['日本語, ok', null]);
	});

	it('reads a header-only file as zero rows of Utf8 columns', () => {
		const table = csv('a,b\n');
		expect(table.numRows).toBe(0);
		expect(columnTypes(table)).toEqual({ a: 'Utf8', b: 'Utf8' });
	});

	it('names empty header cells column_<n>', () => {
		const table = csv('a,,c\n1,2,3\n');
		expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'column_2', 'c']);
	});
});

describe('readCsv: type inference', () => {
	it('infers Float64, Bool and Utf8 per column', () => {
		const table = csv('n,b,s,mixed\n1.5,true,x,1\n-2,FALSE,y,yes\n3e2,True,z,2\n');
		expect(columnTypes(table)).toEqual({ n: 'Float64', b: 'Bool', s: 'Utf8', mixed: 'Utf8' });
		expect(columnValues(table, 'n')).toEqual([1.5, -2, 300]);
		expect(columnValues(table, 'b')).toEqual([true, false, true]);
		expect(columnValues(table, 'mixed')).toEqual(['1', 'yes', '2']);
	});

	it('turns empty fields into nulls in Float64 and Bool columns', () => {
		const table = csv('n,b\n1,true\n,\n"",""\n3,false\n');
		expect(columnTypes(table)).toEqual({ n: 'Float64', b: 'Bool' });
		expect(columnValues(table, 'n')).toEqual([1, null, null, 3]);
		expect(columnValues(table, 'b')).toEqual([true, null, null, false]);
	});

	it('in Utf8 columns: an empty field is null, a quoted empty field is the empty string', () => {
		const table = csv('s,t\nx,1\n,2\n"",3\ny,4\n');
		expect(columnValues(table, 's')).toEqual(['x', null, '', 'y']);
	});

	it('treats a column with no values at all as Utf8 nulls', () => {
		const table = csv('a,b\n1,\n2,\n');
		expect(columnTypes(table)).toEqual({ a: 'Float64', b: 'Utf8' });
		expect(columnValues(table, 'b')).toEqual([null, null]);
	});

	it('does not trim: a padded number stays text', () => {
		const table = csv('a\n 1\n2\n');
		expect(columnTypes(table)).toEqual({ a: 'Utf8' });
		expect(columnValues(table, 'a')).toEqual([' 1', '2']);
	});

	it('treats quoted numbers as numbers (quotes are CSV syntax, not type)', () => {
		expect(columnValues(csv('a\n"1"\n"2.5"\n'), 'a')).toEqual([1, 2.5]);
	});
});

describe('readCsv: errors name the file and the physical line', () => {
	it('reports a short row', () => {
		expect(errorOf('a,b,c\n1,2,3\n4,5\n')).toBe('runs/t.csv line 3: expected 3 fields, found 2');
	});

	it('reports a long row', () => {
		expect(errorOf('a,b\n1,2,3\n')).toBe('runs/t.csv line 2: expected 2 fields, found 3');
	});

	it('counts physical lines, including blank lines and line breaks inside quotes', () => {
		expect(errorOf('a,b\n"x\ny\nz",1\n\n2\n')).toBe('runs/t.csv line 6: expected 2 fields, found 1');
		expect(errorOf('a,b\r\n1,"p\r\nq"\r\n3\r\n')).toBe('runs/t.csv line 4: expected 2 fields, found 1');
	});

	it('reports an unterminated quote at the line where it opened', () => {
		expect(errorOf('a,b\n1,2\n3,"open\nmore\n')).toBe('runs/t.csv line 3: unterminated quote in field 2');
	});

	it('reports text after a closing quote and a stray quote', () => {
		expect(errorOf('a,b\n1,"x"y\n')).toBe('runs/t.csv line 2: unexpected character after the closing quote of field 2');
		expect(errorOf('a,b\n1,2\n3,4"5\n')).toMatch(/^runs\/t\.csv line 3: quote inside unquoted field 2/);
	});

	it('reports duplicate column names and empty files', () => {
		expect(errorOf('a,b,a\n1,2,3\n')).toBe('runs/t.csv line 1: column name "a" appears twice');
		expect(errorOf('')).toBe('runs/t.csv: empty file (a CSV needs a header row)');
		expect(errorOf('\n\n')).toBe('runs/t.csv: empty file (a CSV needs a header row)');
	});

	it('reports invalid UTF-8 with its line', () => {
		const bytes = new Uint8Array([...encoder.encode('a\nok\n'), 0xff, 0xfe, 0x0a]);
		expect(errorOf(bytes)).toBe('runs/t.csv line 3: not valid UTF-8');
	});
});

import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../../../src/lib/node/datasets/read-jsonl.ts';
import { DataFileError } from '../../../../src/lib/node/datasets/table-info.ts';
import { columnTypes, columnValues } from './table-values.ts';

const encoder = new TextEncoder();
const jsonl = (text: string) => readJsonl(encoder.encode(text), 'runs/v.jsonl');

function errorOf(text: string): string {
	try {
		jsonl(text);
	} catch (error) {
		expect(error).toBeInstanceOf(DataFileError);
		return (error as Error).message;
	}
	throw new Error('expected the JSONL to be rejected');
}

describe('readJsonl', () => {
	it('takes the union of keys in order of first appearance, null where missing', () => {
		const table = jsonl('{"a":1,"b":"x"}\n{"c":true}\n{"b":"y","a":3}\n');
		expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 'c']);
		expect(columnValues(table, 'a')).toEqual([1, null, 3]);
		expect(columnValues(table, 'b')).toEqual(['x', null, 'y']);
		expect(columnValues(table, 'c')).toEqual([null, true, null]);
	});

	it('keeps JSON types: numbers, booleans, strings (numeric-looking strings stay text)', () => {
		const table = jsonl('{"n":1.5,"b":false,"s":"12","e":""}\n{"n":null,"b":true,"s":"x","e":"y"}\n');
		expect(columnTypes(table)).toEqual({ n: 'Float64', b: 'Bool', s: 'Utf8', e: 'Utf8' });
		expect(columnValues(table, 'n')).toEqual([1.5, null]);
		expect(columnValues(table, 's')).toEqual(['12', 'x']);
		expect(columnValues(table, 'e')).toEqual(['', 'y']);
	});

	it('writes nested values and mixed columns as JSON text', () => {
		const table = jsonl('{"o":{"k":[1,2]},"m":1}\n{"o":[true],"m":"two"}\n{"o":null,"m":false}\n');
		expect(columnTypes(table)).toEqual({ o: 'Utf8', m: 'Utf8' });
		expect(columnValues(table, 'o')).toEqual(['{"k":[1,2]}', '[true]', null]);
		expect(columnValues(table, 'm')).toEqual(['1', 'two', 'false']);
	});

	it('skips blank lines, accepts CRLF, a BOM and a missing final newline', () => {
		const table = jsonl('\uFEFF{"a":1}\r\n\r\n   \n{"a":2}');
		expect(columnValues(table, 'a')).toEqual([1, 2]);
	});

	it('reads an all-null column as Utf8', () => {
		expect(columnTypes(jsonl('{"a":null}\n{"a":null}\n'))).toEqual({ a: 'Utf8' });
	});

	it('rejects a file without records (a table needs at least one column)', () => {
		expect(errorOf('\n\n')).toBe('runs/v.jsonl: no records (expected one JSON object per line)');
		expect(errorOf('')).toBe('runs/v.jsonl: no records (expected one JSON object per line)');
	});

	it('names the file and line of invalid JSON', () => {
		expect(errorOf('{"a":1}\n\n{"a":2,}\n')).toMatch(/^runs\/v\.jsonl line 3: invalid JSON \(/);
	});

	it('rejects lines that are not objects', () => {
		expect(errorOf('{"a":1}\n[1,2]\n')).toBe('runs/v.jsonl line 2: expected a JSON object, found an array');
		expect(errorOf('42\n')).toBe('runs/v.jsonl line 1: expected a JSON object, found a number');
		expect(errorOf('null\n')).toBe('runs/v.jsonl line 1: expected a JSON object, found null');
		expect(errorOf('"s"\n')).toBe('runs/v.jsonl line 1: expected a JSON object, found a string');
	});

	it('rejects invalid UTF-8 with its line', () => {
		const bytes = new Uint8Array([...encoder.encode('{"a":"ok"}\n{"a":"'), 0xc3, 0x28, ...encoder.encode('"}\n')]);
		expect(() => readJsonl(bytes, 'v.jsonl')).toThrow('v.jsonl line 2: not valid UTF-8');
	});
});

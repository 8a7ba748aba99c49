import { describe, expect, it } from 'vitest';
import { jsonlRecords } from '../../../../src/lib/core/json/jsonl-records.ts';

describe('jsonlRecords', () => {
	it('skips blank lines and says where each record stands', () => {
		const records = [...jsonlRecords('{"a":"x"}\n\n  \n{"a":"y"}\n', 'f.jsonl')];
		expect(records.map((r) => [r.where, r.text('a')])).toEqual([
			['f.jsonl:1', 'x'],
			['f.jsonl:4', 'y']
		]);
	});

	it('names the file, line and field of what is wrong', () => {
		expect(() => [...jsonlRecords('{"a":"x"}\n{"a":', 'f.jsonl')]).toThrow(/^f\.jsonl:2: not valid JSON/);
		expect(() => [...jsonlRecords('[1, 2]', 'f.jsonl')]).toThrow('f.jsonl:1: expected a JSON object');
		const [record] = [...jsonlRecords('{"a": 3}', 'f.jsonl')];
		expect(() => record.text('a')).toThrow('f.jsonl:1: field "a" must be a string');
	});
});

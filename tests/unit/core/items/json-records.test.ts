import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireString } from '../../../../src/lib/core/items/fields.ts';
import { itemsFromRecords } from '../../../../src/lib/core/items/from-records.ts';
import { parseJsonDocuments, parseJsonLines, parseRecordFile } from '../../../../src/lib/core/items/json-records.ts';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/coveval');
const fixture = (name: string) => ({ text: readFileSync(`${fixtures}/${name}`, 'utf8'), file: `${fixtures}/${name}` });

describe('record readers', () => {
	it('reads JSON Lines, skipping blank lines and keeping line numbers', () => {
		const { text, file } = fixture('records-bad-field.jsonl');
		const records = parseJsonLines(text, file);
		expect(records.map((r) => r.line)).toEqual([1, 3]);
	});

	it('names file and line of a malformed JSON line', () => {
		const { text, file } = fixture('records-bad-json.jsonl');
		expect(() => parseJsonLines(text, file)).toThrow(`${file}:2: invalid JSON`);
	});

	it('names file, line and field of a wrong field', () => {
		const { text, file } = fixture('records-bad-field.jsonl');
		const records = parseJsonLines(text, file);
		expect(() => itemsFromRecords(records)).toThrow(`${file}:3: field "code": expected a string, got number 42`);
		expect(() => requireString(records[0], 'nope')).toThrow(`${file}:1: field "nope": missing`);
	});

	it('reads concatenated documents and arrays, braces inside strings included', () => {
		const { text, file } = fixture('records-concatenated.json');
		const records = parseJsonDocuments(text, file);
		expect(records.map((r) => r.value.n)).toEqual([1, 2, 3, 4]);
		expect(records.map((r) => r.line)).toEqual([1, 4, 8, 11]);
		expect(records[0].value.text).toBe('a } brace and a " quote');
		expect(parseRecordFile('[]', 'x.json')).toEqual([]);
	});

	it('rejects unterminated and non-object documents with their line', () => {
		expect(() => parseJsonDocuments('{"a": 1}\n{"b": [1, 2}\n', 'f.json')).toThrow('f.json:2: invalid JSON');
		expect(() => parseJsonDocuments('{"a": 1}\n\n{"b": 2', 'f.json')).toThrow('f.json:3: unterminated JSON value');
		expect(() => parseJsonDocuments('{"a": 1} 42', 'f.json')).toThrow('f.json:1: expected "{" or "["');
		expect(() => parseJsonLines('[1]\n', 'f.jsonl')).toThrow('f.jsonl:1: expected a JSON object');
	});
});

describe('items from packed records', () => {
	it('turns seed, detection and Pearce records into canonical items', () => {
		const { text, file } = fixture('records-ok.jsonl');
		const { items, skipped } = itemsFromRecords(parseJsonLines(text, file));
		expect(skipped).toEqual({});
		expect(items.map((i) => [i.item_id, i.task, i.set, i.cwe, i.language, i.label, i.label_class])).toEqual([
			['completion/seed/CWE-416/toy-free', 'completion', 'seed', 'CWE-416', 'c', null, null],
			['detection/CWE-89/toy-query/copilot-7', 'detection', 'detection', 'CWE-89', 'python', 'non_vulnerable', 'non_vulnerable'],
			['reference/pearce/CWE-89/toy-query/copilot-2', 'reference', 'pearce', 'CWE-89', 'python', 'vulnerable', 'CWE-89']
		]);
		expect(items[0].source).toBe('datasets/CoV-Eval_v1/code_completion_task_seed/cwe-416/toy-free/scenario.c');
	});

	it('rejects a label that contradicts the folder, naming the field', () => {
		const record = {
			origin_path: 'datasets/CoV-Eval_v1/vulnerability_detection_classification_task/vulnerable/cwe-20/experiments_dow_cwe-20_t_scenario_copilot_1.c',
			code: 'int main(void) { return 0; }\n'
		};
		const wrongBinary = { value: { ...record, label_binary: 'non_vulnerable' }, file: 'r.jsonl', line: 5 };
		expect(() => itemsFromRecords([wrongBinary])).toThrow('r.jsonl:5: field "label": the record\'s label "non_vulnerable" contradicts its folder "vulnerable"');
		const wrongClass = { value: { ...record, label_binary: 'vulnerable', label_multiclass: 'cwe-200' }, file: 'r.jsonl', line: 6 };
		expect(() => itemsFromRecords([wrongClass])).toThrow('r.jsonl:6: field "label_multiclass": expected "cwe-20"');
		const pearceWithoutLabel = { value: { origin_path: 'experiments_dow/cwe-20/t/gen_scenario/experiments_dow_cwe-20_t_scenario_copilot_1.c', code: '' }, file: 'r.jsonl', line: 7 };
		expect(() => itemsFromRecords([pearceWithoutLabel])).toThrow('r.jsonl:7: field "label": missing');
		const unknownCwe = { value: { origin_path: 'datasets/CoV-Eval_v1/code_completion_task_seed/cwe-999/t/scenario.c', code: '' }, file: 'r.jsonl', line: 8 };
		expect(() => itemsFromRecords([unknownCwe])).toThrow('r.jsonl:8: field "origin_path": unknown CWE id "cwe-999"');
	});

	it('skips train-set and scenario records and counts them', () => {
		const records = [
			{ value: { origin_path: 'datasets/train-set/cwe-20/t/0_3_scenario.py', code: '' }, file: 'f', line: 1 },
			{ value: { origin_path: 'experiments_dow/cwe-20/t/scenario.py', code: '' }, file: 'f', line: 2 },
			{ value: { origin_path: 'README.md', code: '' }, file: 'f', line: 3 }
		];
		expect(itemsFromRecords(records)).toEqual({ items: [], skipped: { 'train-set': 1, 'pearce-scenario': 1, unrecognised: 1 } });
	});
});

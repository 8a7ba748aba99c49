// Lines of values inside a pretty-printed JSON document, by path: elements of a long array,
// fields, a missing field (its nearest enclosing value), keys and strings holding brackets,
// quotes and escapes that must not fool the scan.
import { describe, expect, it } from 'vitest';
import { jsonPathLines } from '../../../../src/lib/core/json/path-lines.ts';

describe('jsonPathLines', () => {
	const doc = {
		eval: { model: 'x', note: 'a "quoted" ] } [ { string\\' },
		samples: Array.from({ length: 50 }, (_, i) => ({ id: `s-${i}`, output: i % 7 === 0 ? null : { completion: `line\n{[${i}` }, 'odd"key': [1, 2] }))
	};
	const text = JSON.stringify(doc, null, 2);
	const lines = text.split('\n');
	const lineOfText = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
	const at = jsonPathLines(text);

	it('finds each element and field where it starts', () => {
		expect(at.line([])).toBe(1);
		expect(at.line(['eval'])).toBe(lineOfText('"eval"'));
		expect(at.line(['samples', 0])).toBe(lineOfText('"id": "s-0"') - 1);
		expect(at.line(['samples', 41])).toBe(lineOfText('"id": "s-41"') - 1);
		expect(at.line(['samples', 41, 'id'])).toBe(lineOfText('"id": "s-41"'));
		expect(at.line(['samples', 41, 'output', 'completion'])).toBe(lineOfText('{[41"'));
		expect(at.line(['samples', 3, 'odd"key', 1])).toBeGreaterThan(at.line(['samples', 3, 'odd"key']));
		expect(text.slice(at.offset(['samples', 49, 'id']), at.offset(['samples', 49, 'id']) + 6)).toBe('"s-49"');
	});

	it('a path that is not there gives its nearest enclosing value', () => {
		expect(at.line(['samples', 41, 'metadata', 'item_id'])).toBe(at.line(['samples', 41]));
		expect(at.line(['samples', 7, 'output', 'completion'])).toBe(at.line(['samples', 7, 'output']));
		expect(at.line(['samples', 500])).toBe(at.line(['samples']));
	});

	it('a repeated key is the last one, as JSON.parse reads it', () => {
		const twice = '{\n  "id": "first",\n  "x": 1,\n  "id": "second"\n}';
		expect(JSON.parse(twice).id).toBe('second');
		expect(jsonPathLines(twice).line(['id'])).toBe(4);
	});
});

// The one JSON-with-positions parser (core/json/): positions, errors located by line and column,
// and a depth limit that turns absurd nesting into an error instead of a stack overflow.
import { describe, it, expect } from 'vitest';
import { parseJson, MAX_JSON_DEPTH } from '../../../../src/lib/core/json/parse.ts';
import { parseJsonSource, firstSyntaxError, lineOfPath, JsonSourceError } from '../../../../src/lib/core/json/source.ts';
import { firstSyntaxError as fromEnginePath } from '../../../../src/lib/engine/json-source.ts';

describe('parseJson', () => {
	it('keeps where each value starts', () => {
		const parsed = parseJson('{\n  "marks": [\n    {"x": 1}\n  ]\n}');
		expect(parsed.ok).toBe(true);
		if (parsed.ok) expect(parsed.positions.get('marks/0/x')).toEqual({ line: 3, column: 11 });
	});

	it('accepts nesting up to the limit', () => {
		const text = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
		expect(parseJson(text).ok).toBe(true);
	});

	it('refuses deeper nesting with the line, column and the limit, without overflowing the stack', () => {
		const text = '{"a":\n' + '['.repeat(100_000);
		const parsed = parseJson(text);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.error.line).toBe(2);
		expect(parsed.error.column).toBe(MAX_JSON_DEPTH);
		expect(parsed.error.message).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels (the limit for arrays and objects)`);
	});

	it('takes a smaller limit when asked', () => {
		expect(parseJson('[[[1]]]', { maxDepth: 2 }).ok).toBe(false);
		expect(parseJson('[[1]]', { maxDepth: 2 }).ok).toBe(true);
	});
});

describe('hand-edited JSON files (the engine config)', () => {
	it('names the file and line of a syntax error, in its own words', () => {
		expect(() => parseJsonSource('{\n  "endpoints": {\n    "secret-key-name" x\n}', 'covw.config.json')).toThrow(
			/^covw\.config\.json:3: not valid JSON \(line 3, column 23: expected ':' but found "x"\)$/
		);
		expect(() => parseJsonSource('{}', 'f')).not.toThrow();
	});

	it('makes deep nesting a located error, not a RangeError', () => {
		const text = '{"endpoints":\n' + '['.repeat(100_000);
		expect(() => parseJsonSource(text, 'covw.config.json')).toThrow(JsonSourceError);
		expect(() => parseJsonSource(text, 'covw.config.json')).toThrow(/^covw\.config\.json:2: .*nested deeper than 100 levels/);
		expect(firstSyntaxError(text)).toBe(14 + MAX_JSON_DEPTH - 1);
	});

	it('finds the line of a field from the parser, or of its enclosing value when it is missing', () => {
		const text = '{\n  "endpoints": {\n    "a": {"x": 1},\n    "b": {\n      "x": [1,\n 2]\n    }\n  }\n}';
		expect(lineOfPath(text, ['endpoints', 'b', 'x', 1])).toBe(6);
		expect(lineOfPath(text, ['endpoints', 'a', 'x'])).toBe(3);
		expect(lineOfPath(text, ['endpoints', 'b', 'missing'])).toBe(4);
		expect(lineOfPath(text, [])).toBe(1);
		expect(lineOfPath('{', ['a'])).toBeNull();
	});

	it('stays importable from the engine path', () => {
		expect(fromEnginePath('[1,]')).toBe(3);
	});
});

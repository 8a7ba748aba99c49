// The output readers on hand-written tool reports (no tool needed).

import { describe, expect, it } from 'vitest';
import { bandit } from '../../../../src/lib/judges/analyzers/tools/bandit.ts';
import { cppcheck } from '../../../../src/lib/judges/analyzers/tools/cppcheck.ts';
import { decodeXmlText } from '../../../../src/lib/judges/analyzers/tools/cppcheck-xml.ts';
import { flawfinder } from '../../../../src/lib/judges/analyzers/tools/flawfinder.ts';
import { fixture } from './helpers.ts';

describe('bandit JSON', () => {
	const files = ['item-0.py', 'item-1.py', 'item-2.py'];
	const parsed = bandit.parse(fixture('outputs/bandit-with-cwe.json'), '', files);

	it('splits findings per file, ignores files that are not ours, maps issue_cwe', () => {
		expect([...parsed.findings.keys()]).toEqual(files);
		const first = parsed.findings.get('item-0.py')!;
		expect(first.map((f) => [f.rule, f.line, f.cwe, f.tool_cwe])).toEqual([
			['B608', 4, 'CWE-89', 'CWE-89'],
			['B404', 1, null, 'CWE-78']
		]);
		expect(parsed.findings.get('item-1.py')!.map((f) => [f.rule, f.cwes])).toEqual([['B999', ['CWE-22']]]);
		expect(parsed.findings.get('item-2.py')).toEqual([]);
		expect(first[0].message).toContain('SQL injection');
	});
	it('reports a file bandit could not parse as a file error', () => {
		expect(parsed.fileErrors.get('item-2.py')).toMatch(/syntax error/);
		expect(parsed.fileErrors.size).toBe(1);
	});
	it('throws on output that is not bandit JSON', () => {
		expect(() => bandit.parse('Traceback (most recent call last):', '', files)).toThrow(/not JSON/);
		expect(() => bandit.parse('{"errors": []}', '', files)).toThrow(/results/);
	});
});

describe('cppcheck XML', () => {
	const files = ['item-0.c', 'item-1.c', 'item-2.c'];
	const parsed = cppcheck.parse('', fixture('outputs/cppcheck-report.xml'), files);

	it('takes the first location as the line and maps the cwe attribute', () => {
		expect(parsed.findings.get('item-0.c')!.map((f) => [f.rule, f.line, f.cwes])).toEqual([['doubleFree', 12, ['CWE-416']]]);
		const bounds = parsed.findings.get('item-1.c')!;
		expect(bounds.map((f) => [f.rule, f.line, f.cwes])).toEqual([['bufferAccessOutOfBounds', 6, ['CWE-787', 'CWE-125', 'CWE-119']]]);
		expect(bounds[0].message).toContain('"line" < 3');
	});
	it('turns a syntax error into a file error and drops information messages', () => {
		expect(parsed.fileErrors.get('item-2.c')).toMatch(/syntaxError/);
		expect(parsed.findings.get('item-2.c')).toEqual([]);
	});
	it('decodes XML entities', () => {
		expect(decodeXmlText('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x42;')).toBe('<a> & "b" \'c\' AB');
	});
	it('throws when the report is missing', () => {
		expect(() => cppcheck.parse('', 'cppcheck: error: unrecognized command line option', files)).toThrow(/results/);
	});
});

describe('flawfinder CSV', () => {
	const files = ['item-0.c', 'item-1.c'];
	const parsed = flawfinder.parse(fixture('outputs/flawfinder-report.csv'), '', files);

	it('reads quoted fields with commas and doubled quotes, and maps the CWE column', () => {
		expect(parsed.findings.get('item-0.c')!.map((f) => [f.rule, f.line, f.cwes])).toEqual([
			['strcat', 7, ['CWE-787', 'CWE-119']],
			// kept in the findings (the raw answer shows it), counted toward no target
			['char', 3, []]
		]);
		expect(parsed.findings.get('item-0.c')![1].tool_cwe).toBe('CWE-119!/CWE-120');
		const second = parsed.findings.get('item-1.c')!;
		expect(second.map((f) => [f.rule, f.cwe, f.tool_cwe])).toEqual([
			['usleep', null, 'CWE-676'],
			['getenv', 'CWE-20', 'CWE-807, CWE-20']
		]);
		expect(second[1].message).toContain('say "HOME"');
	});
	it('throws when the header is missing', () => {
		expect(() => flawfinder.parse('Flawfinder version 2.0.19\nNo hits found.\n', '', files)).toThrow(/header/);
	});
});

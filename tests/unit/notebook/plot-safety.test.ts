// Issue 9 items 1 and 4: a plot spec stays data. No image mark or src channel, no url(…) or
// other fetching CSS anywhere, no CSS escapes, `style` only as checked properties; each refusal
// is located at the offending field.
import { describe, expect, it } from 'vitest';
import { parsePlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { plotSafetyErrors, unsafeCssReason } from '../../../src/lib/notebook/plot-vocabulary.ts';

const errorsOf = (spec: unknown) => parsePlotSpec(JSON.stringify(spec, null, 1)).errors;

describe('plot specs that could reach outside the page are refused', () => {
	it('an image mark with a src channel built from query results (item 4)', () => {
		const errors = errorsOf({ marks: [{ type: 'image', x: 'a', y: 'b', src: 'leak' }] });
		expect(errors.length).toBeGreaterThan(0);
		expect(errors[0].message).toMatch(/unknown mark type "image"/);
		expect(errors[0].line).toBeGreaterThan(1);
	});

	it('a src channel on any mark', () => {
		const errors = errorsOf({ marks: [{ type: 'dot', x: 'a', src: 'leak' }] });
		expect(errors.map((e) => e.message).join('\n')).toMatch(/unknown option "src"/);
	});

	it('a fill or stroke of url(http://…) (item 4), also inside transform options and scales', () => {
		for (const spec of [
			{ marks: [{ type: 'dot', x: 'a', fill: 'url(http://127.0.0.1:9/leak)' }] },
			{ marks: [{ type: 'dot', x: 'a', stroke: 'URL( "//127.0.0.1:9/x" )' }] },
			{ marks: [{ type: 'barY', x: 'a', transform: { name: 'groupX', outputs: { y: 'count' }, options: { fill: 'url(http://x/)' } } }] },
			{ marks: [{ type: 'dot', x: 'a' }], color: { range: ['red', 'url(http://x/)'] } },
			{ marks: [{ type: 'dot', x: 'a', imageFilter: 'url(http://x/f.svg#f)' }] },
			{ marks: [{ type: 'dot', x: 'a', fill: 'image-set("http://x/a.png" 1x)' }] }
		]) {
			const errors = errorsOf(spec);
			expect(errors.length, JSON.stringify(spec)).toBeGreaterThan(0);
			expect(errors.some((e) => /not allowed: a plot cannot load anything/.test(e.message) && e.line !== undefined), JSON.stringify(errors)).toBe(true);
		}
	});

	it('CSS escapes that could spell url( are refused', () => {
		expect(errorsOf({ marks: [{ type: 'dot', x: 'a', fill: 'u\\72l(http://x/)' }] }).map((e) => e.message).join()).toMatch(/backslash/);
	});

	it('a top-level style with background:url(…) (item 4), as an object or as CSS text', () => {
		const object = errorsOf({ marks: [], style: { background: 'url(http://127.0.0.1:9/bg)' } });
		expect(object).toHaveLength(1);
		expect(object[0].message).toMatch(/"style": "background": "url\(" is not allowed/);
		expect(object[0].line).toBe(4);
		expect(errorsOf({ marks: [], style: 'background:url(http://x/)' })[0].message).toMatch(/"style" must be an object/);
		expect(errorsOf({ marks: [], style: { backgroundImage: 'linear-gradient(red, blue)' } })[0].message).toMatch(/property "backgroundImage" is not allowed/);
		expect(errorsOf({ marks: [], style: { color: 'red; background: url(x)' } })[0].message).toMatch(/not allowed/);
	});

	it('javascript: anywhere but text options is refused', () => {
		expect(errorsOf({ marks: [{ type: 'dot', x: 'a', href: 'javascript:alert(1)' }] }).map((e) => e.message).join()).toMatch(/javascript:/);
	});

	it('ordinary specs still pass: colours, fonts, styles, titles that mention url(', () => {
		expect(
			errorsOf({
				marks: [{ type: 'dot', x: 'a', y: 'b', fill: 'steelblue', stroke: 'rgb(1, 2, 3)', fontFamily: 'Georgia, "Times New Roman"', href: 'link' }],
				title: 'Why url(…) is refused',
				color: { scheme: 'viridis', legend: true },
				style: { fontSize: '12px', background: '#fafafa', color: 'var(--ink)' }
			})
		).toEqual([]);
	});
});

describe('unsafeCssReason / plotSafetyErrors', () => {
	it('names the offending function', () => {
		expect(unsafeCssReason('url(#clip)')).toMatch(/"url\("/);
		expect(unsafeCssReason('@import "x"')).toMatch(/@import/);
		expect(unsafeCssReason('steelblue')).toBeUndefined();
	});
	it('gives JSON paths', () => {
		expect(plotSafetyErrors({ marks: [{ type: 'dot', fill: 'url(x)' }] }).map((e) => e.path)).toEqual(['marks/0/fill']);
	});
});

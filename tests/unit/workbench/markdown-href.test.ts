// safeHref (markdown links in notebooks): web, in-page and same-site links pass; a same-site
// path that a browser resolves to another host ("/\evil.example", tab/newline tricks, "/%5C")
// does not. Each accepted relative link is checked against the WHATWG URL parser (Node's, the
// browsers'): it stays on the page's host.
import { describe, expect, it } from 'vitest';
import { marked } from 'marked';
import { safeHref } from '../../../src/lib/workbench/markdown-href.ts';

const PAGE = 'http://127.0.0.1:5173/notebooks/demo';
const hrefOf = (markdown: string) => {
	let href: string | undefined;
	marked.walkTokens(marked.lexer(markdown), (t) => {
		if (t.type === 'link') href = t.href;
	});
	return href;
};

describe('safeHref', () => {
	it.each(['https://example.org/x', 'http://example.org', '#cell-3', '/runs/gen-x', '/', './other.md', '../notebooks/a', '/runs?x=1#y'])('lets %s through', (href) => {
		expect(safeHref(href)).toBe(true);
		if (!/^https?:/.test(href)) expect(new URL(href, PAGE).host).toBe('127.0.0.1:5173');
	});

	it.each([
		'/\\evil.example/x',
		'\\/evil.example/x',
		'\\\\evil.example/x',
		'//evil.example/x',
		'/\t/evil.example/x',
		'/\n/evil.example/x',
		'/\r/evil.example/x',
		'/%5Cevil.example/x',
		'/%5cevil.example/x',
		'/%2F/evil.example/x',
		' /runs',
		'https:/\\evil.example',
		'https://\\evil.example',
		'javascript:alert(1)',
		'data:text/html,x',
		'java\tscript:alert(1)',
		'evil.example/x',
		''
	])('refuses %j', (href) => {
		expect(safeHref(href)).toBe(false);
	});

	it('refuses the markdown link [x](/\\evil.example/x) as marked reads it', () => {
		const href = hrefOf('[slash](/\\evil.example/x)');
		expect(href).toBeDefined();
		// What a browser would make of it: another host.
		expect(new URL(href!, PAGE).host).not.toBe('127.0.0.1:5173');
		expect(safeHref(href!)).toBe(false);
		expect(safeHref(hrefOf('[fine](/runs/x)')!)).toBe(true);
	});
});

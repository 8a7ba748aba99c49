// Issue 9 (design): a Content-Security-Policy on every response — the app's own scripts and wasm,
// its own workers, connections to itself only, nothing remote; kit's nonce kept on pages.
import { describe, expect, it } from 'vitest';
import { applySecurityHeaders, contentSecurityPolicy } from '../../../src/lib/server/security-headers.ts';

const directive = (policy: string, name: string) =>
	policy
		.split(';')
		.map((p) => p.trim())
		.find((p) => p.split(' ')[0] === name)
		?.split(' ')
		.slice(1);

describe('content security policy', () => {
	const policy = contentSecurityPolicy();

	it('allows only the app itself: no remote source, no inline or eval script', () => {
		expect(directive(policy, 'default-src')).toEqual(["'self'"]);
		expect(directive(policy, 'script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
		expect(directive(policy, 'connect-src')).toEqual(["'self'"]);
		expect(directive(policy, 'worker-src')).toEqual(["'self'"]);
		expect(directive(policy, 'object-src')).toEqual(["'none'"]);
		expect(directive(policy, 'frame-ancestors')).toEqual(["'none'"]);
		expect(directive(policy, 'base-uri')).toEqual(["'none'"]);
		expect(policy).not.toMatch(/https?:|\*|'unsafe-eval'/);
	});

	it('keeps the nonce kit put on its inline script, and nothing else of kit\'s header', () => {
		const headers = new Headers({ 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval' 'nonce-AbC+/12=' https://evil.example" });
		applySecurityHeaders(headers);
		const set = headers.get('content-security-policy')!;
		expect(directive(set, 'script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'nonce-AbC+/12='"]);
		expect(set).not.toContain('evil.example');
		expect(directive(set, 'connect-src')).toEqual(["'self'"]);
	});

	it('sets the policy on responses that had none (API, errors)', () => {
		const headers = new Headers({ 'content-type': 'application/json' });
		applySecurityHeaders(headers);
		expect(headers.get('content-security-policy')).toBe(policy);
		expect(headers.get('referrer-policy')).toBe('no-referrer');
	});

	// The policy cannot stop it: on an http:// page Chromium resolves the host of every link it
	// parses (a notebook's markdown link, a plot's href built from table values) — a DNS query
	// leaves the machine with no click. The header turns that off for the page.
	it('turns off DNS prefetching of the links a page shows', () => {
		const headers = new Headers({ 'content-type': 'text/html' });
		applySecurityHeaders(headers);
		expect(headers.get('x-dns-prefetch-control')).toBe('off');
	});
});

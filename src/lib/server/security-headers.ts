// The security headers every response carries, in one place. The Content-Security-Policy lets
// the page run the app's own scripts (plus SvelteKit's inline start-up script, by the nonce or
// hash kit adds), compile wasm (DuckDB-WASM), start its own workers, and connect to its own
// origin only: nothing remote can be loaded, fetched, framed or navigated to by a form. A
// `javascript:` URL cannot run either (no 'unsafe-inline' for scripts). Styles may be inline
// (Svelte and Observable Plot write them), but with no remote source a style cannot fetch.
//
// svelte.config.js turns on kit's `csp` with script-src only, so that kit puts a nonce on its
// inline script and names it in a header; applySecurityHeaders keeps those nonce/hash sources
// and writes the whole policy from the directives (listen-rules.js, which bin/start.js also
// uses for the static files it serves before the hooks run).

import { contentSecurityPolicy, CSP_DIRECTIVES } from './listen-rules.js';

export { contentSecurityPolicy, CSP_DIRECTIVES };

/** Sources kit adds for its inline script: 'nonce-…' and 'sha256-…'. */
function kitScriptSources(header: string | null): string[] {
	if (!header) return [];
	const scriptSrc = header
		.split(';')
		.map((part) => part.trim().split(/\s+/))
		.find(([name]) => name === 'script-src');
	return (scriptSrc ?? []).slice(1).filter((source) => /^'(nonce|sha256|sha384|sha512)-[A-Za-z0-9+/=_-]+'$/.test(source));
}

/** Sets the policy (keeping kit's nonce for a page) and the other security headers. */
export function applySecurityHeaders(headers: Headers): void {
	headers.set('content-security-policy', contentSecurityPolicy(kitScriptSources(headers.get('content-security-policy'))));
	headers.set('referrer-policy', 'no-referrer');
	// A link's host is not resolved before a click (Chromium does so on http:// pages, and CSP does not cover it).
	headers.set('x-dns-prefetch-control', 'off');
}

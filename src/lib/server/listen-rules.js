// What the web server's two doors share: bin/start.js (plain Node, which cannot import
// TypeScript) serves the static files before SvelteKit's hooks run, so it must guard them with
// the same rules as src/hooks.server.ts — which Host names are ours — and it sets adapter-node's
// BODY_SIZE_LIMIT above the largest body a route reads, so a route's own limit answers first and
// names itself. Plain JavaScript typed with JSDoc so both Node and the TypeScript side import it.

/**
 * The names under which a browser on this machine reaches a server on the loopback port.
 * @param {number | string} port
 * @returns {string[]}
 */
export function defaultAllowedHosts(port) {
	const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
	// Browsers leave the default port out of the Host header.
	if (String(port) === '80') hosts.push('127.0.0.1', 'localhost', '[::1]');
	return hosts;
}

/**
 * Our names on `port`, plus COVW_ALLOWED_HOSTS (host:port, comma-separated) for users who serve
 * beyond loopback.
 * @param {number | string} port
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
export function allowedHosts(port, env) {
	const extra = (env.COVW_ALLOWED_HOSTS ?? '')
		.split(',')
		.map((h) => h.trim())
		.filter(Boolean);
	return [...defaultAllowedHosts(port), ...extra];
}

/**
 * True when the Host header names one of `allowed` (DNS-rebinding guard; case-insensitive).
 * @param {string | null | undefined} host
 * @param {string[]} allowed
 * @returns {boolean}
 */
export function isAllowedHost(host, allowed) {
	if (!host) return false;
	const wanted = host.toLowerCase();
	return allowed.some((h) => h.toLowerCase() === wanted);
}

const MiB = 1024 * 1024;

/**
 * The largest request body each kind of route reads, in bytes. A notebook is saved whole as a
 * JSON string, so its limit is generous; everything else is a small JSON object.
 */
export const BODY_LIMITS = Object.freeze({
	/** Any JSON request (a label, a run spec, a rename). */
	json: 1 * MiB,
	/** Creating or saving a notebook: `{ text, version }` with the whole file in `text`. */
	notebook: 16 * MiB,
	/** A labels CSV file to import. */
	labelsCsv: 16 * MiB,
	/** A file of runs or a labelled set to import (POST /api/imports). */
	imports: 32 * MiB
});

/**
 * adapter-node's BODY_SIZE_LIMIT (bytes): above every route's own limit, so the route's reader
 * answers first with a message naming its limit; it still caps any route that reads a body
 * some other way.
 */
export const SERVER_BODY_LIMIT = 2 * Math.max(...Object.values(BODY_LIMITS));

/**
 * The Content-Security-Policy's directives (src/lib/server/security-headers.ts explains them and
 * adds kit's nonce for a page). Here because bin/start.js puts the same policy on the static
 * files it serves before the hooks run: the DuckDB worker script among them, whose own
 * response header is the policy the worker runs under.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const CSP_DIRECTIVES = {
	'default-src': ["'self'"],
	'script-src': ["'self'", "'wasm-unsafe-eval'"],
	'style-src': ["'self'", "'unsafe-inline'"],
	'img-src': ["'self'", 'data:', 'blob:'],
	'font-src': ["'self'", 'data:'],
	'connect-src': ["'self'"],
	'worker-src': ["'self'"],
	'media-src': ["'none'"],
	'object-src': ["'none'"],
	'frame-src': ["'none'"],
	'base-uri': ["'none'"],
	'form-action': ["'self'"],
	'frame-ancestors': ["'none'"]
};

/**
 * The policy as a header value; `extraScriptSources` are kit's nonce/hashes for a page.
 * @param {readonly string[]} [extraScriptSources]
 * @returns {string}
 */
export function contentSecurityPolicy(extraScriptSources = []) {
	return Object.entries(CSP_DIRECTIVES)
		.map(([name, sources]) => [name, ...sources, ...(name === 'script-src' ? extraScriptSources : [])].join(' '))
		.join('; ');
}

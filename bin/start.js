#!/usr/bin/env node
// Starts the built workbench on 127.0.0.1 (never all interfaces unless HOST says so) and
// prints the address to open.
//
// adapter-node's handler serves the static files (the app's scripts, DuckDB's wasm) before
// SvelteKit's hooks run, so the Host guard in src/hooks.server.ts never sees those requests.
// This server therefore wraps the handler (adapter-node's "custom server"): every request whose
// Host is not one of ours gets 403 here, static files included. The rules are the hooks' own
// (src/lib/server/listen-rules.js).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allowedHosts, contentSecurityPolicy, isAllowedHost, SERVER_BODY_LIMIT } from '../src/lib/server/listen-rules.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'build/handler.js'))) {
	console.error('No build found: run `npm start` (builds first) or `npm run build`.');
	process.exit(1);
}
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '5178';
process.env.COVW_ROOT ??= root;
// Above every route's own limit (a notebook save is the largest), so the route answers first.
process.env.BODY_SIZE_LIMIT ??= String(SERVER_BODY_LIMIT);
// adapter-node reads its settings from the environment when the handler is imported.
const { handler } = await import(pathToFileURL(join(root, 'build/handler.js')).href);

// SvelteKit makes a Request (with an AbortSignal) of every request it handles; Node loads its
// fetch classes at the first one, ~35 ms on the event loop: paid here, before listening, not by
// the first request (bench/cold-listing.js saw it as the longest stall of a cold start).
new Request('http://127.0.0.1/', { signal: new AbortController().signal });

const hosts = allowedHosts(process.env.PORT, process.env);
const server = createServer((req, res) => {
	// Cross-origin isolation, so the page can run DuckDB-WASM's threaded bundle
	// (SharedArrayBuffer): on every response, pages, API and static files alike, set before any
	// handler runs. Every asset is self-hosted, so requiring CORP of cross-origin resources
	// breaks nothing. Never on some responses only: a page isolated while its worker script is
	// not would fail to start the worker.
	res.setHeader('cross-origin-opener-policy', 'same-origin');
	res.setHeader('cross-origin-embedder-policy', 'require-corp');
	// The static files (the app's scripts, DuckDB's worker and wasm) get the policy here; a page's
	// own answer replaces it with the same policy plus kit's nonce (src/hooks.server.ts).
	res.setHeader('content-security-policy', contentSecurityPolicy());
	res.setHeader('x-content-type-options', 'nosniff');
	if (!isAllowedHost(req.headers.host, hosts)) {
		const shown = JSON.stringify(String(req.headers.host ?? '').slice(0, 100));
		res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
		res.end(`Forbidden: Host ${shown} is not one of ${hosts.join(', ')}\n`);
		return;
	}
	handler(req, res, () => {
		res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
		res.end('Not found\n');
	});
});

const host = process.env.HOST.includes(':') ? `[${process.env.HOST}]` : process.env.HOST;
server.listen(Number(process.env.PORT), process.env.HOST, () => {
	console.log(`\nCoV Workbench is running: http://${host}:${process.env.PORT}/\n`);
});

// Ctrl-C or a service manager's TERM: stop taking requests, let the ones in flight finish.
function shutdown() {
	server.closeIdleConnections();
	server.close(() => process.exit(0));
	setTimeout(() => server.closeAllConnections(), 5_000).unref();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

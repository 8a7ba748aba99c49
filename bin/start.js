#!/usr/bin/env node
// Starts the built workbench on 127.0.0.1 (never all interfaces unless HOST says so) and
// prints the address to open.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'build/index.js'))) {
	console.error('No build found: run `npm start` (builds first) or `npm run build`.');
	process.exit(1);
}
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '5178';
process.env.COVW_ROOT ??= root;
// adapter-node reads HOST/PORT at import time and starts listening; it logs "Listening on".
const { server } = await import(join(root, 'build/index.js'));
// Cross-origin isolation, so the page can run DuckDB-WASM's threaded bundle (SharedArrayBuffer):
// on every response, pages, API and static files alike (adapter-node serves those before the
// SvelteKit hooks), set before any handler runs. Every asset is self-hosted, so requiring CORP
// of cross-origin resources breaks nothing. Never on some responses only: a page isolated
// while its worker script is not would fail to start the worker.
server.server.prependListener('request', (_req, res) => {
	res.setHeader('cross-origin-opener-policy', 'same-origin');
	res.setHeader('cross-origin-embedder-policy', 'require-corp');
});
const host = process.env.HOST.includes(':') ? `[${process.env.HOST}]` : process.env.HOST;
const announce = () => console.log(`\nCoV Workbench is running: http://${host}:${process.env.PORT}/\n`);
if (server.server.listening) announce();
else server.server.once('listening', announce);

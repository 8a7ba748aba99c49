// A loopback HTTP server for the wasm benchmark page: a few in-memory bodies plus read-only
// folder mounts. Only GET; paths are resolved and must stay inside their mount.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.wasm': 'application/wasm', // instantiateStreaming insists on this type
	'.arrow': 'application/vnd.apache.arrow.stream'
};

/**
 * @param {{ bodies: Record<string, Uint8Array | string>, mounts: Record<string, string>, isolated?: boolean }} routes
 *   bodies: exact URL path → content; mounts: URL prefix ending in '/' → folder on disk;
 *   isolated (default true): send COOP/COEP, so the page may run DuckDB's threaded bundle
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function startLoopbackServer({ bodies, mounts, isolated = true }) {
	const server = createServer(async (req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		// no-store: every timed fetch must really go to the server, not the HTTP cache
		const send = (status, body, type) => {
			// COOP/COEP: the page is cross-origin isolated, so DuckDB can run its threaded bundle.
			const isolation = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
			res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...isolation });
			res.end(body);
		};
		if (req.method !== 'GET') return send(405, 'GET only', 'text/plain');
		if (path in bodies) return send(200, bodies[path], CONTENT_TYPES[extname(path)] ?? 'text/plain');
		for (const [prefix, folder] of Object.entries(mounts)) {
			if (!path.startsWith(prefix)) continue;
			const file = resolve(folder, '.' + path.slice(prefix.length - 1));
			if (!file.startsWith(resolve(folder) + sep)) return send(403, 'outside mount', 'text/plain');
			try {
				return send(200, await readFile(file), CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
			} catch {
				return send(404, `not found: ${path}`, 'text/plain');
			}
		}
		send(404, `not found: ${path}`, 'text/plain');
	});
	await new Promise((ok, fail) => {
		server.once('error', fail);
		server.listen(0, '127.0.0.1', ok);
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		origin: `http://127.0.0.1:${port}`,
		close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); })
	};
}

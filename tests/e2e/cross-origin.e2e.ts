// Every route that changes something, asked the ways another site's page (or a rebinding one)
// can ask: no Origin, `Origin: null` (sandboxed frames, data: URLs), a foreign or another local
// port's Origin, our Origin with a foreign Sec-Fetch-Site, no Origin with a foreign
// Sec-Fetch-Site — all 403 before the route runs; our own Origin reaches the route. Reads from
// another site: only a navigation passes (an <img>, a prefetch or an EventSource is 403).
// Names that try to leave their folder are refused. Against the built server (global-setup.ts).
import { request } from 'node:http';
import { describe, expect, inject, it } from 'vitest';

const baseURL = inject('baseURL');
const origin = new URL(baseURL).origin;
const otherLocal = `http://127.0.0.1:${Number(new URL(baseURL).port) + 1}`;

const CHANGES: [string, string][] = [
	['POST', '/api/imports?kind=runs&file=a.jsonl'],
	['POST', '/api/labels'],
	['POST', '/api/labels/csv'],
	['POST', '/api/notebooks'],
	['PUT', '/api/notebooks/no-such-notebook'],
	['DELETE', '/api/notebooks/no-such-notebook'],
	['POST', '/api/notebooks/no-such-notebook/rename'],
	['POST', '/api/runs'],
	['POST', '/api/runs/plan'],
	['POST', '/api/runs/no-such-run/cancel']
];

const FOREIGN: Record<string, Record<string, string>> = {
	'no Origin': {},
	'Origin: null': { origin: 'null' },
	'a foreign Origin': { origin: 'http://evil.example' },
	"another local port's Origin": { origin: otherLocal },
	'our Origin, Sec-Fetch-Site cross-site': { origin, 'sec-fetch-site': 'cross-site' },
	'no Origin, Sec-Fetch-Site same-site': { 'sec-fetch-site': 'same-site' },
	'no Origin, Sec-Fetch-Site cross-site': { 'sec-fetch-site': 'cross-site' }
};

/** A GET with exactly these headers (fetch adds its own Sec-Fetch-Mode: cors). */
function rawGet(path: string, headers: Record<string, string>): Promise<number> {
	const url = new URL(path, baseURL);
	return new Promise((done, fail) => {
		const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host: url.host, ...headers } }, (res) => {
			res.resume();
			res.on('end', () => done(res.statusCode ?? 0));
		});
		req.on('error', fail);
		req.end();
	});
}

const ask = (method: string, path: string, headers: Record<string, string>) =>
	fetch(new URL(path, baseURL), { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : '{}' });

describe('state changes from anywhere but our own page', () => {
	for (const [method, path] of CHANGES) {
		it(`${method} ${path.split('?')[0]}: 403 for every foreign shape, the route itself for our Origin`, async () => {
			for (const [shape, headers] of Object.entries(FOREIGN)) {
				const answer = await ask(method, path, headers);
				expect(answer.status, `${shape}`).toBe(403);
				expect(await answer.text()).toMatch(/^Forbidden: /);
			}
			expect((await ask(method, path, { origin, 'sec-fetch-site': 'same-origin' })).status).not.toBe(403);
		});
	}
});

describe('reads another site makes', () => {
	const subresource = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
	it('refuses images, prefetches and event streams, before the route runs', async () => {
		for (const path of ['/api/tables', '/api/notebooks/no-such-notebook', '/api/notebooks/no-such-notebook/first-paint', '/api/runs/no-such-run/events', '/api/labels/csv']) {
			expect(await rawGet(path, subresource), path).toBe(403);
			expect(await rawGet(path, { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', origin: otherLocal }), path).toBe(403);
			expect(await rawGet(path, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'object' }), path).toBe(403);
		}
	});
	it('lets a link open a page, and our own page read', async () => {
		expect(await rawGet('/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' })).toBe(200);
		expect(await rawGet('/api/tables', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' })).toBe(200);
		expect(await rawGet('/api/tables', {})).toBe(200); // scripts and the CLI send no Fetch Metadata
	});
});

describe('names that try to leave their folder', () => {
	it('are refused by every route that takes one', async () => {
		const refused = [
			'/api/notebooks/..%2f..%2f..%2fetc%2fpasswd',
			'/api/notebooks/one%00',
			'/api/tables/..%2f..%2fetc%2fpasswd',
			'/api/tables/paper%2f..%2f..%2f..%2fetc%2fpasswd',
			'/api/runs/..%2f..%2fetc',
			'/api/labels/next?annotator=..%2f..%2fx'
		];
		for (const path of refused) {
			const answer = await ask('GET', path, {});
			expect([400, 404], path).toContain(answer.status);
			expect(await answer.text(), path).not.toMatch(/root:|\/bin\/(ba)?sh/);
		}
		for (const [path, body] of [
			['/api/notebooks', { name: '../escape', text: 'x' }],
			['/api/notebooks/no-such-notebook/rename', { to: '../../escape' }]
		] as const) {
			const answer = await fetch(new URL(path, baseURL), { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect(answer.status, path).toBe(400);
		}
		const upload = await fetch(new URL('/api/imports?kind=labelled&set=..%2f..%2fescape&file=a.jsonl', baseURL), { method: 'POST', headers: { origin, 'content-type': 'application/octet-stream' }, body: '{}\n' });
		expect(upload.status).toBe(400);
	});
});

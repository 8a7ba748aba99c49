// The built server as `npm start` runs it (bin/start.js): a foreign Host gets 403 for every
// response, static files included (issue 9 item 24); a notebook of several MB saves, and one
// over the limit says so (item 13); a link to a folder named x.md does not break the list (item 15).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const ours = new URL(baseURL).host;

/** A GET with exactly this Host header (fetch may not send it as given). */
function get(path: string, host: string): Promise<{ status: number; body: string }> {
	const url = new URL(path, baseURL);
	return new Promise((done, fail) => {
		const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => done({ status: res.statusCode ?? 0, body }));
		});
		req.on('error', fail);
		req.end();
	});
}

describe('the Host guard', () => {
	it('answers 403 to a foreign Host for static files, built assets and pages alike', async () => {
		const page = await get('/', ours);
		expect(page.status).toBe(200);
		const asset = /\/_app\/immutable\/[^"']+\.js/.exec(page.body)?.[0];
		expect(asset, 'the page names a built script').toBeDefined();
		for (const path of ['/favicon.svg', asset!, '/', '/api/tables']) {
			expect((await get(path, ours)).status, `${path} with our Host`).toBe(200);
			const foreign = await get(path, `evil.example:${new URL(baseURL).port}`);
			expect(foreign.status, `${path} with a foreign Host`).toBe(403);
			expect(foreign.body).not.toContain('<html');
		}
	});
});

describe('the Content-Security-Policy', () => {
	it('covers static files too (the DuckDB worker runs under its own response header); a page keeps its nonce', async () => {
		const page = await fetch(`${baseURL}/`);
		const pagePolicy = page.headers.get('content-security-policy') ?? '';
		expect(pagePolicy).toMatch(/script-src 'self' 'wasm-unsafe-eval' '(nonce|sha256)-[^']+'/);
		const asset = /\/_app\/immutable\/[^"']+\.js/.exec(await page.text())?.[0];
		for (const path of ['/favicon.svg', asset!]) {
			const policy = (await fetch(`${baseURL}${path}`)).headers.get('content-security-policy') ?? '';
			expect(policy, path).toContain("connect-src 'self'");
			expect(policy, path).toContain("default-src 'self'");
		}
	});
});

describe('notebook bodies', () => {
	const save = (name: string, text: string) =>
		fetch(`${baseURL}/api/notebooks`, {
			method: 'POST',
			headers: { origin: baseURL, 'content-type': 'application/json' },
			body: JSON.stringify({ name, text })
		});

	it('saves a notebook of several MB', async () => {
		const text = `# big\n\n${'A line of prose in a long notebook.\n'.repeat(100_000)}`;
		expect(text.length).toBeGreaterThan(3_000_000);
		const created = await save('big-notebook', text);
		expect(created.status).toBe(201);
		const read = await (await fetch(`${baseURL}/api/notebooks/big-notebook`)).json();
		expect(read.text).toBe(text);
	});

	it('says a notebook over the limit is over the limit', async () => {
		const response = await save('too-big', 'x'.repeat(17 * 1024 * 1024));
		expect(response.status).toBe(413);
		expect((await response.json()).message).toMatch(/^notebook body is .* over the limit of 16 MiB/);
	});
});

describe('the notebook list', () => {
	const outside = mkdtempSync(join(tmpdir(), 'covw-e2e-outside-'));
	afterAll(() => rmSync(outside, { recursive: true, force: true }));

	it('lists the notebooks when a folder, or a link to one, is named x.md', async () => {
		mkdirSync(join(workDir, 'notebooks/folder.md'));
		symlinkSync(outside, join(workDir, 'notebooks/link-out.md'));
		symlinkSync(join(workDir, 'notebooks/folder.md'), join(workDir, 'notebooks/link-in.md'));
		const response = await fetch(`${baseURL}/api/notebooks`);
		expect(response.status).toBe(200);
		const names = ((await response.json()) as Array<{ name: string }>).map((n) => n.name);
		expect(names).not.toContain('folder');
		expect(names).not.toContain('link-in');
		expect(names.length).toBeGreaterThan(0);
	});
});

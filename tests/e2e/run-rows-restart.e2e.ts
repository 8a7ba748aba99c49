// A server restart with a tab open: the tab's next sync finds every run's epoch new and brings
// the rows of all of them in one request (POST /api/run-tables/rows), never one request per run
// (GET /api/tables/generations?run=…: a storm of one per run on disk). A run written while the
// server was down reaches the tab with the rest.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToLine } from '../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../src/lib/engine/types.ts';
import { launchBrowser } from './browser.ts';
import { freePort, waitForServer } from './server-process.ts';

const root = resolve(import.meta.dirname, '../..');
const RUNS = 24;
let work: string;
let port: number;
let server: ChildProcess | null = null;
let browser: Browser;

const row = (unit: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 3, tokens_in: 2, tokens_out: 2,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:00.000Z', meta: { item_id: unit, model: 'm', task: 'completion' }
});

function plantRun(runId: string, units: number, at: string): void {
	const dir = join(work, 'runs', runId);
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'manifest.json'),
		JSON.stringify({
			run_id: runId, kind: 'generation', params: { task: 'completion', model: 'm', n: runId }, dataset_hash: null, endpoints: [], state: 'completed',
			started_at: at, sessions: [at], finished_at: at, counts: { total: units, ok: units, error: 0, unparsed: 0, pending: 0, cached: 0 },
			tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		})
	);
	writeFileSync(join(dir, 'log.jsonl'), Array.from({ length: units }, (_, i) => rowToLine(row(`${runId}-u${i}`))).join(''));
}

async function start(): Promise<void> {
	server = spawn(process.execPath, [join(root, 'bin/start.js')], {
		env: {
			...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: root, COVW_NOTEBOOKS: join(work, 'notebooks'), COVW_DATA: join(work, 'datasets'),
			COVW_RUNS: join(work, 'runs'), COVW_CACHE: join(work, 'cache')
		},
		stdio: ['ignore', 'inherit', 'inherit']
	});
	await waitForServer(`http://127.0.0.1:${port}/api/tables`, server);
}

async function stop(): Promise<void> {
	const child = server;
	server = null;
	if (!child || child.exitCode !== null) return;
	const exited = new Promise((done) => child.once('exit', done));
	child.kill();
	await exited;
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'covw-e2e-restart-'));
	mkdirSync(join(work, 'notebooks'));
	mkdirSync(join(work, 'datasets'));
	writeFileSync(join(work, 'notebooks', 'restart-count.md'), "```sql id=n\nSELECT count(*) || ' rows in ' || count(DISTINCT run_id) || ' runs' AS seen FROM generations\n```\n");
	for (let i = 0; i < RUNS; i++) plantRun(`gen-r${String(i).padStart(2, '0')}`, 3, `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`);
	port = await freePort();
	await start();
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await stop();
	if (work) rmSync(work, { recursive: true, force: true });
});

describe('a tab open across a server restart', () => {
	it('brings every run\'s rows in one request, not one per run', async () => {
		const page = await browser.newPage();
		const asked: string[] = [];
		page.on('request', (r) => {
			const url = new URL(r.url());
			if (url.pathname.startsWith('/api/tables/generations') || url.pathname === '/api/run-tables/rows') asked.push(`${r.method()} ${url.pathname}${url.search}`);
		});
		await page.goto(`http://127.0.0.1:${port}/notebooks/restart-count`);
		const grid = page.locator('[data-cell-id="n"] [data-testid="result-grid"]');
		const runCell = () => page.locator('[data-cell-id="n"]').getByRole('button', { name: /Run/ }).click();
		await expect.poll(() => grid.textContent(), { timeout: 30_000 }).toContain(`${RUNS * 3} rows in ${RUNS} runs`);

		await stop();
		plantRun('gen-while-down', 2, '2026-01-01T00:01:00.000Z'); // written while the server was down
		asked.length = 0;
		await start();
		// The poll (every 1.5 s) finds the new server: the rows come, the cell run again counts them.
		await expect
			.poll(async () => (await runCell(), await grid.textContent()), { timeout: 30_000, interval: 1000 })
			.toContain(`${RUNS * 3 + 2} rows in ${RUNS + 1} runs`);
		const perRun = asked.filter((a) => a.includes('?run='));
		const batched = asked.filter((a) => a === 'POST /api/run-tables/rows');
		expect(perRun).toEqual([]);
		expect(batched.length).toBeGreaterThanOrEqual(1);
		expect(batched.length).toBeLessThanOrEqual(2);
		await page.close();
	});
});

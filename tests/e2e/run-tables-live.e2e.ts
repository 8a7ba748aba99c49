// A run the page did not start (as the CLI writes one: a manifest, a writer's lock, log lines)
// reaches an open tab: the page polls the run tables, fetches only that run's new rows and adds
// them to its DuckDB table, so a cell run again sees them. The page is cross-origin isolated
// (bin/start.js sends COOP/COEP on every response), and the lazy tables still load.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rowToLine } from '../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../src/lib/engine/types.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const workDir = inject('workDir');
const runDir = join(workDir, 'runs', 'cli-live-run');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	rmSync(runDir, { recursive: true, force: true });
	rmSync(join(workDir, 'notebooks/live-count.md'), { force: true });
});

const row = (unit: string): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 3, tokens_in: 2, tokens_out: 2,
	cached: false, attempts: 1, finished_at: '2026-01-01T00:00:00.000Z', meta: { item_id: unit, model: 'cli-model', task: 'completion' }
});

describe('a run started elsewhere', () => {
	it('shows in an open tab: its new rows are added to the loaded table', async () => {
		writeFileSync(join(workDir, 'notebooks/live-count.md'), "```sql id=n\nSELECT count(*)::INT AS n FROM generations WHERE run_id = 'cli-live-run'\n```\n");
		const page = await browser.newPage();
		await page.goto(baseURL + '/notebooks/live-count');
		const grid = page.locator('[data-cell-id="n"] [data-testid="result-grid"]');
		const runCell = () => page.locator('[data-cell-id="n"]').getByRole('button', { name: /Run/ }).click();
		await expect.poll(() => grid.textContent(), { timeout: 30_000 }).toMatch(/\b0\b/);
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

		mkdirSync(runDir, { recursive: true });
		const manifest = {
			run_id: 'cli-live-run', kind: 'generation', params: { task: 'completion', model: 'cli-model' }, dataset_hash: null, endpoints: [],
			state: 'running', started_at: '2026-01-01T00:00:00.000Z', sessions: [], finished_at: null,
			counts: { total: 3, ok: 0, error: 0, unparsed: 0, pending: 3, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
		};
		writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(manifest));
		writeFileSync(join(runDir, 'lock'), String(process.pid));
		writeFileSync(join(runDir, 'log.jsonl'), rowToLine(row('u1')) + rowToLine(row('u2')));
		// The poll brings the rows in; running the cell again counts them.
		await expect.poll(async () => (await runCell(), await grid.textContent()), { timeout: 30_000, interval: 1000 }).toMatch(/\b2\b/);

		appendFileSync(join(runDir, 'log.jsonl'), rowToLine(row('u3')));
		await expect.poll(async () => (await runCell(), await grid.textContent()), { timeout: 30_000, interval: 1000 }).toMatch(/\b3\b/);
		await page.close();
	});
});

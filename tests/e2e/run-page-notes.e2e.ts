// The run page says, as text, what its figures cannot: rows whose usage is implausible for their
// answer (tokens and cost summed but not to be trusted), and a run of an old import of the
// CoV-Eval released results with the command that imports its file again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rowToLine } from '../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../src/lib/engine/types.ts';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const runsDir = join(inject('workDir'), 'runs');
const T = { timeout: 20_000 };
let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const AT = '2026-01-01T00:00:00.000Z';
const row = (unit: string, extra: Partial<ResultRow> = {}): ResultRow => ({
	unit_id: unit, sample: 0, status: 'ok', response: 'def f():\n    return 1\n', error: null, latency_ms: 5, tokens_in: 30, tokens_out: 8,
	cached: false, attempts: 1, finished_at: AT, meta: { item_id: `item-${unit}` }, ...extra
});

function plant(runId: string, kind: string, params: Record<string, unknown>, rows: ResultRow[]): void {
	mkdirSync(join(runsDir, runId), { recursive: true });
	writeFileSync(join(runsDir, runId, 'manifest.json'), JSON.stringify({
		run_id: runId, kind, params, dataset_hash: null, endpoints: [{ name: 'evil', models: { m: { prices: { inputPer1M: 1, outputPer1M: 2 } } } }], state: 'completed', started_at: AT, sessions: [AT], finished_at: AT,
		counts: { total: rows.length, ok: rows.length, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	}));
	writeFileSync(join(runsDir, runId, 'log.jsonl'), rows.map(rowToLine).join(''));
}

describe('the run page\'s notes', () => {
	it('says the usage is implausible and the cost may be inflated; says an old import is one, with the command', async () => {
		plant('notes-inflated', 'generation', { kind: 'generation', task: 'completion', model: 'evil/m' }, [row('a'), row('b', { tokens_out: 10_000_000 })]);
		plant('notes-old-import', 'judge', {
			kind: 'judge', judge: 'openai/gpt-4o', template: 'fewshot', source: { run: 'notes-inflated' },
			imported: { file: 'llama3.1-8b-instruct.json', sha256: 'a'.repeat(64), format: 'coveval-released' }
		}, [row('a')]);
		const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
		await page.goto(`${baseURL}/runs/notes-inflated`);
		await expect.poll(() => page.getByTestId('run-detail-usage-implausible').textContent(), T).toContain('usage implausible on 1 row: the endpoint reported more tokens than the answer or prompt could take');
		expect(await page.getByTestId('run-detail-cost').textContent()).toMatch(/^\$20\.00.*may be inflated/);
		expect(await page.getByTestId('run-detail-old-import').count()).toBe(0);
		expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
		// The runs list says it by the cost too.
		await page.goto(`${baseURL}/runs`);
		await expect.poll(() => page.getByTestId('run-row-cost-inflated').count(), T).toBe(1);
		expect(await page.getByTestId('run-row-cost-inflated').textContent()).toBe('(may be inflated)');
		await page.goto(`${baseURL}/runs/notes-old-import`);
		await expect.poll(() => page.getByTestId('run-detail-old-import').textContent(), T).toContain('This run is an old import of the CoV-Eval released results');
		expect(await page.getByTestId('run-detail-old-import').textContent()).toContain('npm run covw -- import path/to/CoV-Eval/results/code_completion/llama3.1-8b-instruct.json');
		expect(await page.getByTestId('run-detail-usage-implausible').count()).toBe(0);
		expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
		await page.close();
	}, 60_000);
});

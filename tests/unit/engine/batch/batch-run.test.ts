// Batch runs against the test double's Files and Batches endpoints: 2,000 units complete with
// each unit uploaded exactly once; a failed line is an error row (never an answer) and the next
// run submits only those units again; a process killed with SIGKILL while polling resumes by
// the recorded batch id without submitting anything again; cost is priced at half.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchUnits } from '../../../../src/lib/engine/batch/batch-run.ts';
import { batchRecords } from '../../../../src/lib/engine/batch/batch-run.ts';
import { readRunLog } from '../../../../src/lib/engine/run-log.ts';
import { defaultAnswer, startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const deno = join(root, 'node_modules/deno/deno');
const hasDeno = existsSync(deno);
if (!hasDeno) console.warn(`batch kill test skipped: no Deno binary at ${deno}`);

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ batchPolls: 3 });
	dir = tempDir('covw-batch-');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

const poll = { firstMs: 5, maxMs: 20 };

describe('batch run on the Batch API', () => {
	it('completes 2,000 units, each uploaded once, with the live path\'s rows, priced at half', async () => {
		const units = testUnits(2000);
		const prices = { inputPer1M: 2, outputPer1M: 8 };
		const config = testConfig(server.url, { prices });
		const phases: string[] = [];
		const result = await runBatchUnits({
			runId: 'batch-2000', runsDir: dir.path, config, units, params: { test: 'batch', batch: true }, poll, maxLinesPerBatch: 800,
			onBatch: (r, phase) => phases.push(`${phase} ${r.seq}`)
		});
		expect(result.state).toBe('completed');
		expect(result.manifest.counts).toMatchObject({ total: 2000, ok: 2000, error: 0, pending: 0 });
		for (const u of units) expect(server.batchLinesFor(u.id)).toBe(1);
		// Three batches (800 + 800 + 400 lines), each recorded before it was polled.
		const records = batchRecords(dir.path, 'batch-2000');
		expect(records.map((r) => r.units.length)).toEqual([800, 800, 400]);
		expect(records.every((r) => r.ingested && r.status === 'completed' && r.batch_id)).toBe(true);
		expect(phases.indexOf('submitted 1')).toBeLessThan(phases.indexOf('polled 1'));

		const rows = readRunLog(join(dir.path, 'batch-2000', 'log.jsonl')).rows;
		expect(rows.length).toBe(2000);
		const byId = new Map(rows.map((r) => [r.unit_id, r]));
		for (const u of units.slice(0, 50)) {
			const row = byId.get(u.id)!;
			expect(row.status).toBe('ok');
			expect(row.response).toBe(defaultAnswer(u.request.messages[0].content));
			expect(row.tokens_in).toBe(Math.ceil(u.request.messages[0].content.length / 4));
			expect(row.meta.item_id).toBe(u.meta.item_id);
		}
		// Half the live price: sum over rows at full price, halved.
		const full = rows.reduce((s, r) => s + (r.tokens_in! * prices.inputPer1M + r.tokens_out! * prices.outputPer1M) / 1e6, 0);
		expect(result.manifest.cost_usd).toBeCloseTo(full / 2, 10);
		expect(result.manifest.params).toMatchObject({ batch: true });

		// Running it again sends nothing.
		const again = await runBatchUnits({ runId: 'batch-2000', runsDir: dir.path, config, units, params: { test: 'batch', batch: true }, poll });
		expect(again.requests).toBe(0);
		expect(server.batches.length).toBe(3);
	}, 120_000);

	it('turns failed lines into error rows, and resubmits only those units next time', async () => {
		// Second samples: ids the 2,000-unit run above did not use.
		const units = testUnits(30, 2).filter((u) => u.sample === 1);
		const failing = new Set([units[3].id, units[17].id]);
		const unreadable = units[25].id;
		const faulted = new Set<string>();
		server.setFaults((ctx) => {
			// Each unit fails once (the first time this test's server sees it), then answers.
			if (faulted.has(ctx.unit)) return null;
			faulted.add(ctx.unit);
			if (failing.has(ctx.unit)) return { kind: 'server_error', status: 500 };
			if (ctx.unit === unreadable) return { kind: 'hang' };
			return null;
		});
		try {
			const config = testConfig(server.url);
			const first = await runBatchUnits({ runId: 'batch-errors', runsDir: dir.path, config, units, params: { test: 'errors', batch: true }, poll });
			expect(first.manifest.counts).toMatchObject({ total: 30, ok: 27, error: 3 });
			for (const id of [...failing, unreadable]) {
				const row = first.rows.get(id)!;
				expect(row.status).toBe('error');
				expect(row.response).toBeNull();
				expect(row.error).toMatch(/^batch: /);
			}
			expect(first.rows.get(units[3].id)!.error).toMatch(/status 500/);
			expect(first.rows.get(unreadable)!.error).toMatch(/batch_line_failed/);

			const second = await runBatchUnits({ runId: 'batch-errors', runsDir: dir.path, config, units, params: { test: 'errors', batch: true }, poll });
			expect(second.manifest.counts).toMatchObject({ total: 30, ok: 30, error: 0 });
			for (const u of units) expect(server.batchLinesFor(u.id)).toBe(failing.has(u.id) || u.id === unreadable ? 2 : 1);
			const records = batchRecords(dir.path, 'batch-errors');
			expect(records.map((r) => r.units.length)).toEqual([30, 3]);
		} finally {
			server.setFaults(null);
		}
	}, 60_000);
});

describe('batch run cancelled while polling', () => {
	it('ends "cancelled" with the batch recorded, and the same call picks the batch up', async () => {
		const units = testUnits(20, 4).filter((u) => u.sample === 3);
		const config = testConfig(server.url);
		const stop = new AbortController();
		const first = await runBatchUnits({
			runId: 'batch-cancel', runsDir: dir.path, config, units, params: { test: 'cancel', batch: true }, signal: stop.signal,
			poll: { firstMs: 10_000, maxMs: 10_000 }, onBatch: (_r, phase) => phase === 'polled' && stop.abort()
		});
		expect(first.state).toBe('cancelled');
		expect(first.manifest.counts).toMatchObject({ total: 20, ok: 0, pending: 20 });
		const [record] = batchRecords(dir.path, 'batch-cancel');
		expect(record.batch_id).toMatch(/^batch_test_/);
		expect(record.ingested).toBe(false);
		const created = server.batches.length;
		const second = await runBatchUnits({ runId: 'batch-cancel', runsDir: dir.path, config, units, params: { test: 'cancel', batch: true }, poll });
		expect(second.manifest.counts).toMatchObject({ total: 20, ok: 20, pending: 0 });
		expect(server.batches.length).toBe(created);
		for (const u of units) expect(server.batchLinesFor(u.id)).toBe(1);
	});
});

describe.skipIf(!hasDeno)('batch run killed while polling', () => {
	it('resumes by the recorded batch id and never submits a unit again', async () => {
		const count = 200;
		const runId = 'batch-killed';
		const slow = await startTestServer({ batchPolls: 6 });
		try {
			const child = spawn(
				deno,
				['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', `--allow-write=${dir.path}`, '--allow-env',
					join(root, 'tests/support/batch-child.ts'), slow.url, dir.path, runId, String(count)],
				{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }
			);
			let stderr = '';
			child.stderr.on('data', (d) => (stderr += d));
			const exit = new Promise<{ code: number | null; signal: string | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
			await new Promise<void>((res, rej) => {
				let out = '';
				child.stdout.on('data', (d) => {
					out += d;
					if (/polled batch_/.test(out)) {
						child.kill('SIGKILL');
						res();
					}
				});
				child.on('exit', () => rej(new Error(`child ended before the kill: ${stderr}`)));
			});
			expect((await exit).signal).toBe('SIGKILL');
			expect(slow.batches.length).toBe(1);
			const recorded = batchRecords(dir.path, runId);
			expect(recorded).toHaveLength(1);
			expect(recorded[0].batch_id).toBe(slow.batches[0].id);
			expect(recorded[0].ingested).toBe(false);
			expect(readRunLog(join(dir.path, runId, 'log.jsonl')).rows).toHaveLength(0);
			expect(JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8')).state).toBe('running');

			const units = testUnits(count);
			const phases: string[] = [];
			const result = await runBatchUnits({
				runId, runsDir: dir.path, config: testConfig(slow.url), units, params: { test: 'batch-kill', batch: true }, poll, onWarning: () => {},
				onBatch: (r, phase) => phases.push(`${phase} ${r.batch_id}`)
			});
			expect(phases[0]).toBe(`resumed ${slow.batches[0].id}`);
			expect(result.state).toBe('completed');
			expect(result.manifest.counts).toMatchObject({ total: count, ok: count, pending: 0 });
			expect(slow.batches.length).toBe(1);
			for (const u of units) {
				expect(slow.batchLinesFor(u.id)).toBe(1);
				expect(slow.answersFor(u.id)).toBe(1);
			}
			const rows = readRunLog(join(dir.path, runId, 'log.jsonl')).rows;
			expect(new Set(rows.map((r) => r.unit_id)).size).toBe(count);
			expect(rows).toHaveLength(count);
			expect(result.manifest.sessions.length).toBe(2);
		} finally {
			await slow.close();
		}
	}, 90_000);
});

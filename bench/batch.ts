// Batch-run benchmark (a script, not a timed test): a 2,000-unit run through the test double's
// Batch API (upload, create, poll, download, ingest), against the same 2,000 units sent live
// at concurrency 64 with no model latency. Prints medians; the batch run's wall time minus its
// poll waits is what the engine itself spends (writing the JSONL, upload, ingesting 2,000 rows).
// Run: node_modules/deno/deno run --allow-net=127.0.0.1 --allow-read --allow-write --allow-env --allow-sys bench/batch.ts [iterations] [units]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { runBatchUnits } from '../src/lib/engine/batch/batch-run.ts';
import { runUnits } from '../src/lib/engine/run-units.ts';
import { startTestServer } from '../tests/support/openai-test-server.ts';
import { testConfig, testUnits } from '../tests/support/engine-fixtures.ts';

declare const Deno: { args: string[] };
const [iterations = 3, count = 2000] = Deno.args.map(Number);
const POLL_MS = 50;
const POLLS = 3;

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await startTestServer({ batchPolls: POLLS });
const units = testUnits(count);
const batch: { wall: number; cpu: number; polls: number; sentOnce: boolean }[] = [];
const live: { wall: number; cpu: number }[] = [];
try {
	for (let i = 0; i < iterations; i++) {
		for (const mode of i % 2 === 0 ? ['batch', 'live'] : ['live', 'batch']) {
			const dir = mkdtempSync(join(tmpdir(), 'covw-bench-batch-'));
			try {
				const cpu0 = process.cpuUsage();
				const t0 = performance.now();
				if (mode === 'batch') {
					let polls = 0;
					const before = server.batches.length;
					const r = await runBatchUnits({
						runId: `b${i}`, runsDir: dir, config: testConfig(server.url, { concurrency: 64 }), units, params: { bench: i, batch: true },
						poll: { firstMs: POLL_MS, maxMs: POLL_MS }, onBatch: (_r, phase) => void (phase === 'polled' && polls++)
					});
					if (r.manifest.counts.ok !== count) throw new Error(`batch run: ${JSON.stringify(r.manifest.counts)}`);
					const wall = performance.now() - t0;
					const cpu = process.cpuUsage(cpu0);
					const sentOnce = server.batches.length === before + 1 && units.every((u) => server.batchLinesFor(u.id) === i + 1);
					batch.push({ wall, cpu: (cpu.user + cpu.system) / 1000, polls, sentOnce });
				} else {
					const r = await runUnits({ runId: `l${i}`, runsDir: dir, config: testConfig(server.url, { concurrency: 64 }), units, params: { bench: i } });
					if (r.manifest.counts.ok !== count) throw new Error(`live run: ${JSON.stringify(r.manifest.counts)}`);
					const cpu = process.cpuUsage(cpu0);
					live.push({ wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 });
				}
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	}
} finally {
	await server.close();
}

const waits = (POLLS - 1) * POLL_MS;
const rows = [
	['batch run, wall (incl. poll waits)', median(batch.map((b) => b.wall))],
	['batch run, wall minus poll waits', median(batch.map((b) => b.wall - waits))],
	['batch run, CPU (engine + test double)', median(batch.map((b) => b.cpu))],
	['live run, wall (concurrency 64, 0 ms latency)', median(live.map((l) => l.wall))],
	['live run, CPU (engine + test double)', median(live.map((l) => l.cpu))]
] as const;
console.log(`batch vs live, ${count} units, ${iterations} iteration(s); the batch completes after ${POLLS} polls ${POLL_MS} ms apart`);
for (const [name, ms] of rows) console.log(`${name.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms`);
console.log(`${'batch ÷ live, CPU'.padEnd(48)} ${(median(batch.map((b) => b.cpu)) / median(live.map((l) => l.cpu))).toFixed(2).padStart(7)}×`);
console.log(`each unit sent exactly once in every batch run: ${batch.every((b) => b.sentOnce) ? 'yes' : 'NO'}`);
if (!batch.every((b) => b.sentOnce)) process.exit(1);

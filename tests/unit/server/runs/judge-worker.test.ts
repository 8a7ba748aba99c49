// A page-started direct judge run computes in a worker thread (server/runs/judge-worker.ts): the
// rows are the ones the in-process run writes; the server's event loop turns while a hostile
// program is judged; a unit that does not come back is stopped with its worker and is an error
// row naming the limit; cancel, resume and a crashing worker. Nothing here is timed: the hostile
// program is slow enough that the order of events cannot come out otherwise.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import type { DirectComputer } from '../../../../src/lib/runs/direct-run.ts';
import { runJudge, type DirectComputeRequest } from '../../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { errorReason } from '../../../../src/lib/runs/run-overview.ts';
import { JudgeTimeLimitError } from '../../../../src/lib/core/judges/rules/deadline.ts';
import { judgeWorkerComputer, type JudgeWorkerOptions } from '../../../../src/lib/server/runs/judge-worker.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { hostileC } from '../../../support/hostile-programs.ts';

const item = (i: number, code: string, cwe: Item['cwe'] = 'CWE-787'): Item => ({
	item_id: `own/p${i}`, task: 'reference', set: 'pearce', cwe, language: 'c', code, scenario: 'x', label: 'vulnerable', label_class: cwe, source: 'own'
});
const small = (i: number) => item(i, `int f${i}(char *p) { char b[4]; b[${i}] = p[0]; return b[0]; }\n`);

/** The rows as compared across computers: everything but when and how fast. */
const comparable = (runsDir: string, runId: string) =>
	readRun(runsDir, runId)!.rows.map(({ latency_ms: _l, finished_at: _f, ...rest }) => rest);

/** A computer that reports each row to `seen` before it is written. */
function watched(inner: (r: DirectComputeRequest) => DirectComputer, seen: (unitId: string) => void) {
	return (request: DirectComputeRequest): DirectComputer => {
		const computer = inner(request);
		return { compute: (units, onRow, signal) => computer.compute(units, (u, out, ms) => (seen(u.id), onRow(u, out, ms)), signal) };
	};
}

describe('a direct judge run in a worker thread', () => {
	it('writes the same rows and manifest as the run computed in process', async () => {
		const a = tempDir('jw-same-a-');
		const b = tempDir('jw-same-b-');
		try {
			const items = [0, 1, 2, 3].map(small);
			const here = await runJudge({ runsDir: a.path, judge: 'rules', itemSet: 'pearce', items, onWarning: () => {} });
			const there = await runJudge({ runsDir: b.path, judge: 'rules', itemSet: 'pearce', items, onWarning: () => {}, directComputer: judgeWorkerComputer() });
			expect(there.runId).toBe(here.runId);
			expect(there.manifest.state).toBe('completed');
			expect(comparable(b.path, there.runId)).toEqual(comparable(a.path, here.runId));
			const { started_at: _s, finished_at: _f, sessions: _ss, ...m1 } = readRun(a.path, here.runId)!.manifest as unknown as Record<string, unknown>;
			const { started_at: _s2, finished_at: _f2, sessions: _ss2, ...m2 } = readRun(b.path, there.runId)!.manifest as unknown as Record<string, unknown>;
			expect(m2).toEqual(m1);
		} finally {
			a.remove();
			b.remove();
		}
	}, 120_000);

	it("the server's event loop turns while the worker judges a program that takes the rule judge seconds", async () => {
		const work = tempDir('jw-loop-');
		let spinning = true;
		try {
			// a chain of turns of the loop, counted (a request, an SSE write would be served at each)
			let turns = 0;
			const spin = () => {
				turns++;
				if (spinning) setImmediate(spin);
			};
			setImmediate(spin);
			const at = new Map<string, number>();
			const items = [small(0), item(1, hostileC(8000), 'CWE-416')];
			const out = await runJudge({
				runsDir: work.path, judge: 'rules', itemSet: 'pearce', items, timeLimitMs: 600_000, onWarning: () => {},
				directComputer: watched(judgeWorkerComputer(), (id) => at.set(id, turns))
			});
			spinning = false;
			const rows = readRun(work.path, out.runId)!.rows;
			const first = rows.find((r) => r.meta.item_id === 'own/p0')!;
			const hostile = rows.find((r) => r.meta.item_id === 'own/p1')!;
			expect(hostile.status).toBe('ok');
			// In process, the loop turns only between the judge's passes (a dozen or so for this program);
			// here it went on turning while the program was judged.
			expect(at.get(hostile.unit_id)! - at.get(first.unit_id)!).toBeGreaterThan(1000);
		} finally {
			spinning = false;
			work.remove();
		}
	}, 300_000);

	it('a program that does not come back in time is an error row naming the limit; the run goes on with a fresh worker', async () => {
		const work = tempDir('jw-kill-');
		try {
			const starts: number[] = [];
			const items = [small(0), item(1, hostileC(9900), 'CWE-416'), small(2)];
			// the judge's own limit is far off: only the worker's stop can end the hostile program early
			const out = await runJudge({
				runsDir: work.path, judge: 'rules', itemSet: 'pearce', items, timeLimitMs: 600_000, onWarning: () => {},
				directComputer: judgeWorkerComputer({ killAfterMs: 800, onStarted: ({ ms }) => starts.push(ms) })
			});
			expect(out.manifest.state).toBe('completed');
			const rows = new Map(readRun(work.path, out.runId)!.rows.map((r) => [r.meta.item_id, r]));
			expect(rows.get('own/p0')!.status).toBe('ok');
			expect(rows.get('own/p2')!.status).toBe('ok');
			const stopped = rows.get('own/p1')!;
			expect(stopped.status).toBe('error');
			expect(stopped.meta.vulnerable).toBeNull();
			expect(stopped.error).toMatch(/^rule judge: judge time limit: no verdict within 600 s .*\nthe judge did not come back within 0.8 s: its worker thread was stopped/);
			// One reason with the judge's own time limit on the run page ("Errors by reason").
			expect(errorReason(stopped.error!)).toBe(errorReason(`rule judge: ${new JudgeTimeLimitError(100).message}`));
			expect(starts).toHaveLength(2); // the first worker, and the fresh one after the stop
		} finally {
			work.remove();
		}
	}, 300_000);

	it('cancel ends the worker: the rows back by then are written, the run is cancelled, and a resume computes only the rest', async () => {
		const work = tempDir('jw-cancel-');
		try {
			const items = [0, 1, 2, 3, 4].map(small);
			const ac = new AbortController();
			const first: string[] = [];
			const cancelled = await runJudge({
				runsDir: work.path, judge: 'rules', itemSet: 'pearce', items, signal: ac.signal, onWarning: () => {},
				directComputer: watched(judgeWorkerComputer(), (id) => (first.push(id), ac.abort()))
			});
			expect(cancelled.manifest.state).toBe('cancelled');
			expect(readRun(work.path, cancelled.runId)!.rows.map((r) => r.unit_id)).toEqual(first);
			expect(first).toHaveLength(1);
			const again: string[] = [];
			const resumed = await runJudge({ runsDir: work.path, judge: 'rules', itemSet: 'pearce', items, onWarning: () => {}, directComputer: watched(judgeWorkerComputer(), (id) => again.push(id)) });
			expect(resumed.manifest.state).toBe('completed');
			expect(again).toHaveLength(4);
			expect(again).not.toContain(first[0]);
			expect(readRun(work.path, resumed.runId)!.rows).toHaveLength(5);
		} finally {
			work.remove();
		}
	}, 120_000);

	for (const kind of ['throw', 'exit'] as const) {
		it(`a worker that crashes (${kind}) fails the run with a clear error; the rows before are kept`, async () => {
			const work = tempDir('jw-crash-');
			try {
				const items = [0, 1, 2, 3].map(small);
				const ids: string[] = [];
				// the unit ids, from a run computed in process
				const plain = await runJudge({ runsDir: join(work.path, 'plain'), judge: 'rules', itemSet: 'pearce', items, onWarning: () => {} });
				const order = readRun(join(work.path, 'plain'), plain.runId)!.rows.map((r) => r.unit_id);
				const runsDir = join(work.path, 'runs');
				const run = runJudge({
					runsDir, judge: 'rules', itemSet: 'pearce', items, onWarning: () => {},
					directComputer: watched(judgeWorkerComputer({ fault: { at: order[2], kind } }), (id) => ids.push(id))
				});
				await expect(run).rejects.toThrow(kind === 'throw' ? /judge worker for "rules" failed at unit .*planted crash/ : /judge worker for "rules" exited \(code 3\) at unit .*2 of 4 rows were computed and kept/);
				const saved = readRun(runsDir, plain.runId)!;
				expect(saved.manifest.state).toBe('failed');
				expect(saved.rows.map((r) => r.unit_id)).toEqual(order.slice(0, 2));
			} finally {
				work.remove();
			}
		}, 120_000);
	}

	it('a program that runs the worker out of its heap is an error row naming the bound; the run goes on with a fresh worker', async () => {
		const work = tempDir('jw-heap-');
		try {
			const starts: number[] = [];
			const items = [small(0), item(1, hostileC(9900), 'CWE-416'), small(2)];
			// 40 MB: enough to load the judge and judge a small program, not this one's syntax tree
			const out = await runJudge({
				runsDir: work.path, judge: 'rules', itemSet: 'pearce', items, timeLimitMs: 600_000, onWarning: () => {},
				directComputer: judgeWorkerComputer({ memoryMb: 40, onStarted: ({ ms }) => starts.push(ms) })
			});
			expect(out.manifest.state).toBe('completed');
			const rows = new Map(readRun(work.path, out.runId)!.rows.map((r) => [r.meta.item_id, r]));
			expect(rows.get('own/p0')!.status).toBe('ok');
			expect(rows.get('own/p2')!.status).toBe('ok');
			expect(rows.get('own/p1')).toMatchObject({ status: 'error', response: null });
			expect(rows.get('own/p1')!.error).toBe("rule judge: judge memory limit: the judge's worker thread ran out of its 40 MB heap on this program and was stopped; no verdict");
			expect(starts).toHaveLength(2);
		} finally {
			work.remove();
		}
	}, 300_000);

	it('the worker heap is bounded: a worker out of memory fails the run naming the bound, and the server goes on', async () => {
		const work = tempDir('jw-memory-');
		try {
			const run = runJudge({ runsDir: work.path, judge: 'rules', itemSet: 'pearce', items: [small(0)], onWarning: () => {}, directComputer: judgeWorkerComputer({ memoryMb: 2 }) });
			await expect(run).rejects.toThrow(/judge worker for "rules" failed while loading the judge \(its heap is bounded at 2 MB\)/);
			// this process is fine: the same run again with room completes
			const again = await runJudge({ runsDir: work.path, judge: 'rules', itemSet: 'pearce', items: [small(0)], onWarning: () => {}, directComputer: judgeWorkerComputer() });
			expect(again.manifest.state).toBe('completed');
		} finally {
			work.remove();
		}
	}, 120_000);
});

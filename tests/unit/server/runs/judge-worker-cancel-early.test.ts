// A Cancel that comes while the worker's entry is still being looked up (the first direct judge
// run after a server start waits on a dynamic import there; review10b): the run ends cancelled
// with no row, never judged to the end. Its own file, so the entry is loaded for the first time
// here. No timing: the abort comes synchronously right after compute() started, i.e. while the
// computation waits on that lookup.
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import type { DirectComputer } from '../../../../src/lib/runs/direct-run.ts';
import { runJudge, type DirectComputeRequest } from '../../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { judgeWorkerComputer } from '../../../../src/lib/server/runs/judge-worker.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

const item = (i: number): Item => ({
	item_id: `own/p${i}`, task: 'reference', set: 'pearce', cwe: 'CWE-787', language: 'c', code: `int f${i}(char *p) { char b[4]; b[${i}] = p[0]; return b[0]; }\n`,
	scenario: 'x', label: 'vulnerable', label_class: 'CWE-787', source: 'own'
});

describe('a direct judge run in a worker thread', () => {
	it('is cancelled by a Cancel that comes while the worker entry loads', async () => {
		const work = tempDir('jw-cancel-early-');
		try {
			const controller = new AbortController();
			const workers = judgeWorkerComputer();
			let rows = 0;
			const computer = (request: DirectComputeRequest): DirectComputer => {
				const inner = workers(request);
				return {
					compute: (units, onRow, signal) => {
						const done = inner.compute(units, (u, out, ms) => (rows++, onRow(u, out, ms)), signal);
						controller.abort(); // the compute is now waiting on the worker's entry
						return done;
					}
				};
			};
			const out = await runJudge({ runsDir: work.path, judge: 'rules', itemSet: 'pearce', items: [0, 1, 2].map(item), signal: controller.signal, directComputer: computer, onWarning: () => {} });
			expect(out.manifest.state).toBe('cancelled');
			expect(rows).toBe(0);
			expect(readRun(work.path, out.runId)!.rows).toHaveLength(0);
		} finally {
			work.remove();
		}
	}, 120_000);
});

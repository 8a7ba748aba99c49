// Cancel reaches a direct run (the rule judge computing in the server's process): the rows
// computed before the cancel are written, the run ends `cancelled`, and a resume computes only
// the rest. Rows are also written on time (flushMs), not only every chunk of 512. Review 9b: the
// signal never reached writeDirectRunSliced, so a cancelled judge run went on and ended `completed`.
// Nothing here is timed: the cancel comes from inside a unit's step, and the flush interval is 0.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { writeDirectRunSliced, type DirectUnit } from '../../../src/lib/runs/direct-run.ts';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

/** Units computing in two steps each; `onStep(i)` runs at unit i's first step. */
function slowUnits(n: number, onStep: (i: number) => void, computed: number[]): DirectUnit[] {
	return Array.from({ length: n }, (_, i) => {
		const out = () => ({ status: 'ok' as const, response: `v${i}`, error: null });
		return {
			id: `u${i}`,
			sample: 0,
			meta: { item_id: `own/u${i}` },
			compute: () => {
				computed.push(i);
				return out();
			},
			*computeSteps() {
				onStep(i);
				yield;
				computed.push(i);
				return out();
			}
		};
	});
}

const options = (runsDir: string, units: DirectUnit[]) => ({ runsDir, runId: 'direct-cancel', kind: 'judge', params: { judge: 'test' }, datasetHash: null, units, sliceMs: 0 });

describe('a direct run and cancel', () => {
	it('a run cancelled half-way keeps its computed rows, ends cancelled, and a resume finishes the rest', async () => {
		const work = tempDir('direct-cancel-');
		try {
			const runsDir = join(work.path, 'runs');
			const ac = new AbortController();
			const computed: number[] = [];
			const first = await writeDirectRunSliced({ ...options(runsDir, slowUnits(8, (i) => i === 3 && ac.abort(), computed)), signal: ac.signal });
			expect(first.manifest.state).toBe('cancelled');
			expect(computed).toEqual([0, 1, 2]); // unit 3 was cut off between its steps
			const saved = readRun(runsDir, 'direct-cancel')!;
			expect(saved.manifest.state).toBe('cancelled');
			expect(saved.rows.map((r) => r.unit_id)).toEqual(['u0', 'u1', 'u2']);

			const again: number[] = [];
			const second = await writeDirectRunSliced(options(runsDir, slowUnits(8, () => {}, again)));
			expect(second.manifest.state).toBe('completed');
			expect(again).toEqual([3, 4, 5, 6, 7]);
			expect(readRun(runsDir, 'direct-cancel')!.rows.map((r) => r.unit_id).sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
		} finally {
			work.remove();
		}
	});

	it('rows are written on time, not only every 512', async () => {
		const work = tempDir('direct-flush-');
		try {
			const runsDir = join(work.path, 'runs');
			const seen: number[] = [];
			// at unit i's first step, how many rows the log holds (written by then)
			const look = () => seen.push(readRun(runsDir, 'direct-cancel')?.rows.length ?? 0);
			await writeDirectRunSliced({ ...options(runsDir, slowUnits(4, look, [])), flushMs: 0 });
			expect(seen).toEqual([0, 1, 2, 3]);
		} finally {
			work.remove();
		}
	});

	it('a rule judge run hands its signal to the direct run: cancelled before its first program, it computes none', async () => {
		const work = tempDir('direct-judge-cancel-');
		try {
			const runsDir = join(work.path, 'runs');
			const items: Item[] = [0, 1, 2].map((i) => ({ item_id: `own/p${i}`, task: 'reference', set: 'pearce', cwe: 'CWE-787', language: 'c', code: `int f${i}(char *p) { char b[4]; b[${i}] = p[0]; return b[0]; }\n`, scenario: 'x', label: 'vulnerable', label_class: 'CWE-787', source: 'own' }));
			const ac = new AbortController();
			ac.abort();
			const cancelled = await runJudge({ runsDir, judge: 'rules', itemSet: 'pearce', items, signal: ac.signal, onWarning: () => {} });
			expect(cancelled.manifest.state).toBe('cancelled');
			expect(readRun(runsDir, cancelled.runId)!.rows).toHaveLength(0);
			const resumed = await runJudge({ runsDir, judge: 'rules', itemSet: 'pearce', items, onWarning: () => {} });
			expect(resumed.runId).toBe(cancelled.runId);
			expect(resumed.manifest.state).toBe('completed');
			expect(readRun(runsDir, resumed.runId)!.rows).toHaveLength(3);
		} finally {
			work.remove();
		}
	});
});

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
});

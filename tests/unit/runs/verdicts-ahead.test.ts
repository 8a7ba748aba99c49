// VerdictsAhead (src/lib/runs/verdicts-ahead.ts): the detection parsers' verdict units computed
// as a run logs its answers must be exactly the units runJudge would otherwise build, in the
// targets' order; a target whose answer changed since, or that was never seen, gets fresh
// units; and nothing thrown while computing ahead reaches the run.
import { describe, expect, it } from 'vitest';
import { unitId } from '../../../src/lib/engine/canonical-json.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { requireJudge, verdictsAhead } from '../../../src/lib/runs/judge-run.ts';
import { targetOfRow } from '../../../src/lib/runs/judge-targets.ts';
import { VerdictsAhead } from '../../../src/lib/runs/verdicts-ahead.ts';

const row = (i: number, response: string, status: ResultRow['status'] = 'ok'): ResultRow => ({
	unit_id: `unit-${i}`,
	sample: i % 2,
	status,
	response,
	error: null,
	latency_ms: 100,
	tokens_in: 10,
	tokens_out: 5,
	cached: false,
	attempts: 1,
	finished_at: '2026-11-28T22:00:00.000Z',
	meta: { item_id: `detection/CWE-78/demo/${i}`, model: 'ep/m', task: 'detection', set: 'detection', cwe: 'CWE-78', language: 'python', scenario: 'demo', label: 'vulnerable', label_class: 'CWE-78', code: null }
});
const answers = ['{"vulnerable": true, "cwe": "CWE-78"}', 'no, this is fine', '{"vulnerable": false}', 'CWE-79 maybe'];
const parser = requireJudge('parser').execution as Extract<ReturnType<typeof requireJudge>['execution'], { via: 'direct' }>;
const direct = (rows: ResultRow[]) => parser.units(rows.map(targetOfRow), { sourceRunId: 'gen-1', unitId }) as ReturnType<typeof parser.units> & unknown[];
const plain = (units: { id: string; sample: number; meta: unknown; compute(): unknown }[]) => units.map((u) => ({ id: u.id, sample: u.sample, meta: u.meta, out: u.compute() }));

describe('verdicts computed ahead', () => {
	it('are the units runJudge would build, in the targets\' order, seen or not', async () => {
		const rows = answers.map((a, i) => row(i, a));
		const ahead = verdictsAhead('parser', 'gen-1')!;
		// Seen out of order, one never seen, one error row (not a target).
		ahead.add(rows[2]);
		ahead.add(rows[0]);
		ahead.add(row(9, 'x', 'error'));
		ahead.add(rows[3]);
		const units = await ahead.unitsFor(rows.map(targetOfRow));
		expect(plain(units)).toEqual(plain(direct(rows) as never));
		expect(units).toHaveLength(8);
		// Seen ones carry the time computing took then; the fresh ones compute when written.
		expect(units.filter((u) => u.latency_ms !== undefined)).toHaveLength(6);
	});

	it('builds fresh units for a target whose answer is not the one seen', async () => {
		const ahead = verdictsAhead('parser', 'gen-1')!;
		ahead.add(row(0, answers[0]));
		const now = [row(0, answers[1])];
		const units = await ahead.unitsFor(now.map(targetOfRow));
		expect(units.every((u) => u.latency_ms === undefined)).toBe(true);
		expect(plain(units)).toEqual(plain(direct(now) as never));
	});

	it('never throws into the run: a failing judge is left to runJudge', async () => {
		const failing = new VerdictsAhead({ via: 'direct', units: () => { throw new Error('boom'); } }, 'gen-1');
		expect(() => failing.add(row(0, answers[0]))).not.toThrow();
		await expect(failing.unitsFor([targetOfRow(row(0, answers[0]))])).rejects.toThrow('boom');
	});

	it('is only made for direct judges', () => {
		expect(verdictsAhead('parser', 'gen-1')).toBeInstanceOf(VerdictsAhead);
		expect(verdictsAhead('bandit', 'gen-1')).toBeNull();
	});
});

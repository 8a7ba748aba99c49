// Agreement with the items' labels only where the judged program is the labelled one: a judge
// run over repairs (labels of the vulnerable inputs) or completions reports no agreement and
// says why; a judge run over labelled items (reference / detection) still reports it.
import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import type { RunRecord } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';

const row = (n: number, task: string, vulnerable: boolean): ResultRow =>
	({
		unit_id: `u${n}`,
		sample: 0,
		status: 'ok',
		response: '{}',
		error: null,
		latency_ms: 1,
		tokens_in: 0,
		tokens_out: 0,
		cached: false,
		attempts: 1,
		finished_at: 0,
		meta: { judge: 'openai/gpt-4o', task, item_id: `${task}/CWE-89/x/${n}`, target_id: `g${n}`, cwe: 'CWE-89', label: 'vulnerable', vulnerable }
	}) as unknown as ResultRow;

const judgeRun = (rows: ResultRow[]): RunRecord => ({ manifest: { kind: 'judge', counts: { total: rows.length } } as unknown as RunRecord['manifest'], rows });

describe('runs show: agreement with the items\' labels', () => {
	it('is not given for a judge run over repairs, with the reason', () => {
		const [j] = summarizeRun(judgeRun([row(0, 'repair', false), row(1, 'repair', true), row(2, 'repair', false)])).judges;
		expect(j.securityRate).toBeDefined();
		expect(j.agreement).toBeUndefined();
		expect(j.agreementOmitted).toBe('the labels describe the vulnerable inputs, not the repairs judged');
	});

	it('is given for a judge run over labelled items (the judged program is the labelled one)', () => {
		const [j] = summarizeRun(judgeRun([row(0, 'reference', true), row(1, 'reference', false)])).judges;
		expect(j.agreement).toMatchObject({ n: 2 });
		expect(j.agreementOmitted).toBeUndefined();
	});
});

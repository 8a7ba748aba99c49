// Test helper: judge runs with the verdicts a test wants, written the way real direct runs are
// (runs/<id>/manifest.json + log.jsonl), so they reach the verdicts table by the real path.
import { writeDirectRun } from '../../src/lib/runs/direct-run.ts';
import type { RowStatus } from '../../src/lib/engine/types.ts';

export interface PlantedVerdict {
	run_id: string;
	target_id: string;
	judge: string;
	template: string | null;
	vulnerable: boolean | null;
	predicted_cwe: string | null;
	status: RowStatus;
	/** Rules and analyzers: the finding's rule and line in the judged code. */
	rule?: string;
	line?: number;
	/** The judge's raw answer (the log row's response). */
	raw?: string;
}

export function writeVerdictRuns(runsDir: string, verdicts: PlantedVerdict[]): void {
	const byRun = new Map<string, PlantedVerdict[]>();
	for (const v of verdicts) byRun.set(v.run_id, [...(byRun.get(v.run_id) ?? []), v]);
	for (const [runId, rows] of byRun) {
		writeDirectRun({
			runsDir,
			runId,
			kind: 'judge',
			params: { kind: 'judge', judge: rows[0].judge, planted_by: 'tests/support/verdict-runs.ts' },
			datasetHash: null,
			units: rows.map((v, i) => ({
				id: `${runId}-${i}`,
				sample: 0,
				meta: {
					target_id: v.target_id,
					item_id: v.target_id,
					judge: v.judge,
					template: v.template,
					predicted_cwe: v.predicted_cwe,
					...(v.rule !== undefined ? { rule: v.rule } : {}),
					...(v.line !== undefined ? { line: v.line } : {})
				},
				compute: () => ({ status: v.status, response: v.raw ?? null, error: null, fields: { vulnerable: v.vulnerable } })
			}))
		});
	}
}

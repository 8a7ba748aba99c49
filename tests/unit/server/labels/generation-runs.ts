// Test helper: generation runs with the rows a test wants, written as direct runs
// (runs/<id>/manifest.json + log.jsonl) with the meta real generation units carry
// (src/lib/runs/generation-units.ts, plus the parse hook's code fields), so they reach the
// generations table by the real path. Toy programs of our own, not benchmark data.
import { writeDirectRun } from '../../../../src/lib/runs/direct-run.ts';
import type { RowStatus } from '../../../../src/lib/engine/types.ts';

export interface PlantedGeneration {
	unit_id: string;
	item_id: string;
	sample?: number;
	task?: 'completion' | 'repair' | 'detection';
	set?: string;
	cwe: string;
	language: 'python' | 'c';
	scenario?: string;
	status: RowStatus;
	/** The extracted program (null: nothing extracted). */
	code: string | null;
	/** The model's raw answer. */
	response: string | null;
}

export function writeGenerationRun(runsDir: string, runId: string, model: string, rows: PlantedGeneration[]): void {
	const task = rows[0]?.task ?? 'completion';
	writeDirectRun({
		runsDir,
		runId,
		kind: 'generation',
		params: { kind: 'generation', task, model, planted_by: 'tests/unit/server/labels/generation-runs.ts' },
		datasetHash: null,
		units: rows.map((g) => ({
			id: g.unit_id,
			sample: g.sample ?? 0,
			meta: {
				item_id: g.item_id,
				model,
				prompt_hash: 'feedfacefeedface',
				task: g.task ?? 'completion',
				set: g.set ?? 'seed',
				cwe: g.cwe,
				language: g.language,
				scenario: g.scenario ?? 'toy-scenario',
				label: null,
				label_class: null
			},
			compute: () => ({
				status: g.status,
				response: g.response,
				error: g.status === 'error' ? 'planted failure' : null,
				fields: { code: g.code, code_source: g.code === null ? null : 'fenced' }
			})
		}))
	});
}

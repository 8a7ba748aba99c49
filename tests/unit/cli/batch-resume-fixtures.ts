// Units and params of a Batch API generation run as `covw run … --batch` makes them (ids derived
// from content, model and request those of params), for tests that resume a run with
// `covw batch resume`, which checks every unit against the manifest (resume-units.ts).
import { testUnits } from '../../support/engine-fixtures.ts';
import { generationUnitId } from '../../../src/lib/engine/batch/resume-units.ts';
import type { WorkUnit } from '../../../src/lib/engine/types.ts';

export const RESUMABLE_MODEL = 'local/test-model';

export function resumableParams(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { kind: 'generation', task: 'test', model: RESUMABLE_MODEL, request: { temperature: 0.6, top_p: 0.9, max_tokens: 64 }, batch: true, ...extra };
}

export function resumableUnits(n: number): WorkUnit[] {
	return testUnits(n).map((u) => {
		const unit = { ...u, meta: { ...u.meta, task: 'test', model: RESUMABLE_MODEL } };
		return { ...unit, id: generationUnitId(unit, RESUMABLE_MODEL) };
	});
}

// Two Starts over one generation run while it runs (review10b): the same spec joins the run going;
// a spec with another judge is refused (409) saying that its judge was not started and when to
// start it — never joined and silently dropped. The project is a stand-in whose run ends when the
// test says so.
import { describe, expect, it } from 'vitest';
import type { RunPlan } from '../../../../src/lib/notebook/executor.ts';
import type { RunSpec } from '../../../../src/lib/notebook/run-spec.ts';
import type { ProjectRuns } from '../../../../src/lib/server/runs/project-runs.ts';
import { RunManager } from '../../../../src/lib/server/runs/run-manager.ts';
import { HttpError } from '../../../../src/lib/server/http.ts';

type Spec = { judge: string };

function project() {
	const started: string[] = [];
	let finish = () => {};
	const runs = {
		plan: async (spec: RunSpec) => ({ generationRunId: 'gen-one', judgeRunId: `judge-${(spec as unknown as Spec).judge}` }) as RunPlan,
		start: (spec: RunSpec) => {
			started.push((spec as unknown as Spec).judge);
			return new Promise<void>((resolve) => (finish = resolve));
		}
	} as unknown as ProjectRuns;
	return { runs, started, finish: () => finish() };
}

describe('a second Start over a generation run that is going', () => {
	it('joins it with the same judge, and refuses another judge by name instead of dropping it', async () => {
		const p = project();
		const manager = new RunManager(p.runs);
		const first = await manager.start({ judge: 'rules' } as unknown as RunSpec);
		expect(first.state).toBe('running');
		expect(await manager.start({ judge: 'rules' } as unknown as RunSpec)).toBe(first);
		const refused = await manager.start({ judge: 'ensemble' } as unknown as RunSpec).then(() => null, (e: unknown) => e);
		expect(refused).toBeInstanceOf(HttpError);
		expect((refused as HttpError).status).toBe(409);
		expect((refused as Error).message).toMatch(/a run of generation gen-one is already going \(judged by run judge-rules\): this spec's judge run judge-ensemble was not started; start it again when that run ends/);
		expect(p.started).toEqual(['rules']);

		// Once it has ended, the other judge starts.
		p.finish();
		await expect.poll(() => manager.get('gen-one')!.state).toBe('completed');
		expect((await manager.start({ judge: 'ensemble' } as unknown as RunSpec)).state).toBe('running');
		expect(p.started).toEqual(['rules', 'ensemble']);
		p.finish();
	});
});

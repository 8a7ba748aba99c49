// A run cell can ask for at most a bounded number of samples and items, and planning a run
// counts its units instead of building them: opening a notebook whose run cell asks for a
// billion samples is an error naming the field and the bound, not an exhausted heap.
import { describe, expect, it } from 'vitest';
import { MAX_LIMIT, MAX_SAMPLES } from '../../../src/lib/core/run-bounds.ts';
import { parseRunSpec } from '../../../src/lib/notebook/run-spec.ts';
import { generationRunPlan } from '../../../src/lib/runs/generation-run.ts';
import { SelectionError } from '../../../src/lib/runs/select-items.ts';
import { configFromEnv } from '../../../src/lib/engine/config.ts';
import { COMPLETION_ITEMS } from './fixtures.ts';

const templates = {
	code_completion: { parts: [{ kind: 'text', text: 'Complete: ' }] }
} as never;

describe('run spec bounds', () => {
	it('refuses a billion samples, naming the field and the bound', () => {
		const { spec, errors } = parseRunSpec('{"task": "completion", "model": "x", "samples": 1000000000}');
		expect(spec).toBeNull();
		expect(errors.map((e) => e.message).join('\n')).toMatch(new RegExp(`"samples" must be an integer from 1 to ${MAX_SAMPLES}`));
	});

	it('refuses a limit beyond the bound', () => {
		const { spec, errors } = parseRunSpec(`{"task": "completion", "model": "x", "limit": ${MAX_LIMIT + 1}}`);
		expect(spec).toBeNull();
		expect(errors.map((e) => e.message).join('\n')).toMatch(new RegExp(`"limit" must be an integer from 1 to ${MAX_LIMIT}`));
	});

	it('accepts the bounds themselves', () => {
		expect(parseRunSpec(`{"task": "completion", "model": "x", "samples": ${MAX_SAMPLES}, "limit": ${MAX_LIMIT}}`).spec).not.toBeNull();
	});
});

describe('run plans', () => {
	const options = { runsDir: '/nonexistent', config: configFromEnv({}), items: COMPLETION_ITEMS, task: 'completion' as const, model: 'm', templates };

	it('count units instead of building them', () => {
		const plan = generationRunPlan({ ...options, samples: MAX_SAMPLES });
		expect(plan.unitCount).toBe(COMPLETION_ITEMS.length * MAX_SAMPLES);
		expect('units' in plan).toBe(false);
	});

	it('refuse more samples than the bound, whoever asks (the CLI too)', () => {
		expect(() => generationRunPlan({ ...options, samples: 1_000_000_000 })).toThrow(SelectionError);
		expect(() => generationRunPlan({ ...options, samples: 1_000_000_000 })).toThrow(new RegExp(`samples must be an integer from 1 to ${MAX_SAMPLES}`));
	});
});

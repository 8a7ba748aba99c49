// The labelling view's heading: a survivor is named by what it is (CWE, strategy, seed), with
// its hash id as secondary text; items and generations keep their readable ids as the title.
import { describe, expect, it } from 'vitest';
import type { TargetView } from '../../../../src/lib/core/labels/target.ts';
import { targetHeading } from '../../../../src/lib/workbench/labelling/target-heading.ts';

const base: TargetView = {
	target_id: 'completion/seed/CWE-89/toy-users/0',
	kind: 'item',
	task: 'completion',
	set: 'seed',
	cwe: 'CWE-89',
	language: 'python',
	scenario: 'toy-users',
	code: 'def find(name):\n    pass\n',
	prompt_item_id: null,
	sample: null
};

describe('target heading', () => {
	it('names a survivor by CWE, strategy and seed; the hash id is secondary', () => {
		const survivor: TargetView = {
			...base,
			target_id: '3f9a1c0d5e7b2468',
			kind: 'survivor',
			set: 'vul-evol',
			prompt_item_id: base.target_id,
			sample: 0,
			evolve: { seed_id: base.target_id, seed_code: base.code, strategy: 'constraints', sample: 0, filters: [] }
		};
		const heading = targetHeading(survivor);
		expect(heading.title).toBe('CWE-89 · strategy constraints · evolved from completion/seed/CWE-89/toy-users/0');
		expect(heading.title).not.toContain('3f9a1c0d5e7b2468');
		expect(heading.id).toBe('3f9a1c0d5e7b2468');
	});

	it('keeps an item’s or a generation’s own id as its title', () => {
		expect(targetHeading(base)).toEqual({ title: base.target_id, id: null });
		const generation: TargetView = { ...base, target_id: 'gen-unit-7', kind: 'generation', prompt_item_id: base.target_id, sample: 1 };
		expect(targetHeading(generation)).toEqual({ title: 'gen-unit-7', id: null });
	});
});

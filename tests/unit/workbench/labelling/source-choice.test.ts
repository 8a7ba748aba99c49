// The labelling view's source picker: values, option text, CWE facets per source.
import { describe, expect, it } from 'vitest';
import { choiceOf, cwesFor, defaultFilter, evolveOptionText, filterOf, runOptionText } from '../../../../src/lib/workbench/labelling/source-choice.ts';
import type { GenerationRunSource, Sources } from '../../../../src/lib/workbench/labelling/labelling-api.ts';

const run = (run_id: string, over: Partial<GenerationRunSource> = {}): GenerationRunSource => ({
	run_id,
	task: 'completion',
	model: 'local/model-x',
	ok: 324,
	error: 0,
	unparsed: 0,
	no_code: 0,
	cwes: [],
	...over
});
const sources = (over: Partial<Sources>): Sources => ({ available: true, items_imported: true, sets: [], cwes: [], runs: [], evolve_runs: [], ...over });

describe('source picker', () => {
	it('encodes and decodes item sets and runs', () => {
		for (const filter of [
			{ set: '', run: '', evolve: '' },
			{ set: 'pearce', run: '', evolve: '' },
			{ set: '', run: 'gen-completion-x', evolve: '' },
			{ set: '', run: '*', evolve: '' },
			{ set: '', run: '', evolve: 'evolve-default_m-0123456789' }
		]) {
			expect(filterOf(choiceOf(filter))).toEqual(filter);
		}
		expect(choiceOf({ set: 'pearce', run: 'gen-a' })).toBe('run:gen-a');
		// Leaving the survivors for a run clears the evolve run (the view spreads filterOf over its filter).
		expect({ ...{ set: '', run: '', evolve: 'e1' }, ...filterOf('run:gen-a') }).toEqual({ set: '', run: 'gen-a', evolve: '' });
	});

	it('names an evolve run by id, model and survivors, and offers its CWEs', () => {
		const e = { run_id: 'evolve-x', model: 'local/m', candidates: 24, survivors: 6, cwes: [{ value: 'CWE-89', count: 6 }] };
		expect(evolveOptionText(e)).toBe('evolve-x · local/m · 6 survivor(s) of 24 candidate(s)');
		expect(cwesFor(sources({ cwes: [{ value: 'CWE-79', count: 4 }], evolve_runs: [e] }), { run: '', evolve: 'evolve-x' })).toEqual([{ value: 'CWE-89', count: 6 }]);
	});

	it('names a run by id, model and ok count, and says what was left out', () => {
		expect(runOptionText(run('gen-completion-abc'))).toBe('gen-completion-abc · local/model-x · 324 ok');
		expect(runOptionText(run('g', { ok: 10, error: 2, unparsed: 1, model: null }))).toBe('g · unknown model · 10 ok · 3 left out (2 error, 1 unparsed)');
		// code-less answers by their status's name everywhere else, not "empty"
		expect(runOptionText(run('g', { ok: 274, no_code: 50 }))).toBe('g · local/model-x · 274 ok · 50 left out (50 no code)');
	});

	it('offers the CWEs of the chosen source, summed over runs for all runs', () => {
		const s = sources({
			cwes: [{ value: 'CWE-79', count: 4 }],
			runs: [
				run('a', { cwes: [{ value: 'CWE-89', count: 2 }, { value: 'CWE-476', count: 1 }] }),
				run('b', { cwes: [{ value: 'CWE-89', count: 3 }] })
			]
		});
		expect(cwesFor(s, { run: '' })).toEqual([{ value: 'CWE-79', count: 4 }]);
		expect(cwesFor(s, { run: 'b' })).toEqual([{ value: 'CWE-89', count: 3 }]);
		expect(cwesFor(s, { run: '*' })).toEqual([
			{ value: 'CWE-89', count: 5 },
			{ value: 'CWE-476', count: 1 }
		]);
	});

	it('starts on programs: a program set, else the first run, never on completion prompts', () => {
		const sets = (...names: string[]) => names.map((value) => ({ value, count: 3 }));
		expect(defaultFilter(sources({ sets: sets('seed', 'pearce', 'repair'), runs: [run('a')] }))).toEqual({ set: 'pearce', run: '', evolve: '' });
		expect(defaultFilter(sources({ sets: sets('seed', 'repair') }))).toEqual({ set: 'repair', run: '', evolve: '' });
		// Only completion prompts imported: a run's programs come first, if there is one.
		expect(defaultFilter(sources({ sets: sets('seed', 'vul-evol'), runs: [run('a')] }))).toEqual({ set: '', run: 'a', evolve: '' });
		expect(defaultFilter(sources({ sets: sets('seed') }))).toEqual({ set: '', run: '', evolve: '' });
		expect(defaultFilter(sources({ items_imported: false, runs: [run('a'), run('b')] }))).toEqual({ set: '', run: 'a', evolve: '' });
		// Nothing but Vul-Evol survivors: start on them.
		const e = { run_id: 'evolve-x', model: 'local/m', candidates: 24, survivors: 6, cwes: [] };
		expect(defaultFilter(sources({ items_imported: false, evolve_runs: [e] }))).toEqual({ set: '', run: '', evolve: 'evolve-x' });
		expect(defaultFilter(sources({ items_imported: false, runs: [run('a')], evolve_runs: [e] }))).toEqual({ set: '', run: 'a', evolve: '' });
	});
});

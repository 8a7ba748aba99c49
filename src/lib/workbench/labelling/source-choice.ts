// The source picker of the labelling view: one <select> whose value names an item set
// ('set:pearce', '' for all items), a generation run ('run:<id>', 'run:*' for all runs) or the
// survivors of a Vul-Evol run ('evolve:<id>').
import { ALL_GENERATION_RUNS, type Facet } from '../../core/labels/queue.ts';
import type { EvolveRunSource, GenerationRunSource, SourceFilter, Sources } from './labelling-api.ts';

export function choiceOf(filter: Pick<SourceFilter, 'set' | 'run' | 'evolve'>): string {
	if (filter.evolve) return `evolve:${filter.evolve}`;
	if (filter.run) return `run:${filter.run}`;
	return filter.set ? `set:${filter.set}` : '';
}

export function filterOf(choice: string): Pick<SourceFilter, 'set' | 'run' | 'evolve'> {
	if (choice.startsWith('evolve:')) return { set: '', run: '', evolve: choice.slice(7) };
	if (choice.startsWith('run:')) return { set: '', run: choice.slice(4), evolve: '' };
	if (choice.startsWith('set:')) return { set: choice.slice(4), run: '', evolve: '' };
	return { set: '', run: '', evolve: '' };
}

/** "evolve-… · local/model-x · 6 survivor(s) of 24 candidate(s)". */
export function evolveOptionText(run: EvolveRunSource): string {
	return `${run.run_id} · ${run.model ?? 'unknown model'} · ${run.survivors} survivor(s) of ${run.candidates} candidate(s)`;
}

/** "gen-completion-… · local/model-x · 274 ok · 50 left out (50 no code)": the statuses' names as everywhere else. */
export function runOptionText(run: GenerationRunSource): string {
	const leftOut = (
		[
			['error', run.error],
			['unparsed', run.unparsed],
			['no code', run.no_code]
		] as const
	).filter(([, n]) => n > 0);
	const total = leftOut.reduce((sum, [, n]) => sum + n, 0);
	const tail = total > 0 ? ` · ${total} left out (${leftOut.map(([what, n]) => `${n} ${what}`).join(', ')})` : '';
	return `${run.run_id} · ${run.model ?? 'unknown model'} · ${run.ok} ok${tail}`;
}

/** The CWEs the CWE filter offers for the chosen source. */
export function cwesFor(sources: Sources, filter: Pick<SourceFilter, 'run' | 'evolve'>): Facet[] {
	if (filter.evolve) return sources.evolve_runs.find((r) => r.run_id === filter.evolve)?.cwes ?? [];
	if (!filter.run) return sources.cwes;
	const runs = filter.run === ALL_GENERATION_RUNS ? sources.runs : sources.runs.filter((r) => r.run_id === filter.run);
	const counts = new Map<string, number>();
	for (const run of runs) for (const c of run.cwes) counts.set(c.value, (counts.get(c.value) ?? 0) + c.count);
	return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
}

/**
 * The item sets whose items are whole programs (Pearce et al.'s, the detection and the repair
 * sets), in the order labelling prefers them. The other sets ('seed', 'vul-evol') hold completion
 * prompts: unfinished code that asks a model to go on, which no one can call vulnerable or not.
 */
export const PROGRAM_SETS = ['pearce', 'detection', 'repair'] as const;

/**
 * Where to start: on programs. A program set when one is imported, else the first generation run
 * (models' programs), else all items; with neither items nor generation runs, the first evolve
 * run's survivors.
 */
export function defaultFilter(sources: Sources): Pick<SourceFilter, 'set' | 'run' | 'evolve'> {
	const present = new Set(sources.items_imported ? sources.sets.filter((s) => s.count > 0).map((s) => s.value) : []);
	const programs = PROGRAM_SETS.find((set) => present.has(set));
	if (programs) return { set: programs, run: '', evolve: '' };
	if (sources.runs.length > 0) return { set: '', run: sources.runs[0].run_id, evolve: '' };
	if (!sources.items_imported && sources.evolve_runs.length > 0) return { set: '', run: '', evolve: sources.evolve_runs[0].run_id };
	return { set: '', run: '', evolve: '' };
}

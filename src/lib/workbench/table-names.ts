// Small pure helpers of the page's table sync (tables.svelte.ts): which listed tables a query
// names (so only those are fetched), and which runs changed between two run-table statuses.
import type { RunTablesStatus } from '../runs/run-tables.ts';

const ROW_TABLES = ['generations', 'verdicts'] as const;

/** Runs whose rows changed between two statuses; every run when the older is unknown. */
export function changedRuns(before: RunTablesStatus | null, after: RunTablesStatus): Set<string> {
	const key = (r: { epoch: string; seq: number }) => `${r.epoch}:${r.seq}`;
	const old = new Map<string, string>();
	for (const name of ROW_TABLES) for (const r of before?.tables[name].runs ?? []) old.set(r.run_id, key(r));
	const out = new Set<string>();
	for (const name of ROW_TABLES) for (const r of after.tables[name].runs) if (old.get(r.run_id) !== key(r)) out.add(r.run_id);
	for (const id of old.keys()) if (!after.tables.generations.runs.some((r) => r.run_id === id) && !after.tables.verdicts.runs.some((r) => r.run_id === id)) out.add(id);
	return out;
}

export { mentions } from '../notebook/table-mentions.ts';

// Bringing a page's loaded run tables up to date with the runs that changed, in one request (or
// one per RUN_ROWS_PER_ASK runs) rather than one per run: after a server restart every run's
// epoch is new, and a page holding 180 runs asked 180 times, one after the other. What to ask
// (runRowsAsks), the request (fetchRunRows: POST /api/run-tables/rows) and the SQL that applies
// its rows (runRowsStatements) — the page's DuckDB runs it (browser-engine.ts applyRunsRows).
import type { RunVersion } from '../../runs/run-tables.ts';
import { parseRunRows, type RunRowsChange } from './run-rows-frame.ts';
import type { RunRowsAsk } from '../../server/runs/run-tables-cache.ts';

export type { RunRowsAsk, RunRowsChange };

/** Runs per request: a restart with thousands of runs on disk asks a few times, never thousands. */
export const RUN_ROWS_PER_ASK = 500;

/** What a page holds of one run: the epoch and sequence of its rows. */
export type Held = ReadonlyMap<string, { epoch: string; seq: number }>;

/** The runs whose rows the page must ask for: those it does not hold at the version the status gives. */
export function runRowsAsks(held: Held, runs: readonly Pick<RunVersion, 'run_id' | 'epoch' | 'seq'>[]): RunRowsAsk[] {
	const asks: RunRowsAsk[] = [];
	for (const run of runs) {
		const have = held.get(run.run_id);
		if (have && have.epoch === run.epoch && have.seq === run.seq) continue;
		asks.push({ run: run.run_id, epoch: have?.epoch ?? '', after: have?.seq ?? 0 });
	}
	return asks;
}

/** Splits asks into groups of at most `size`. */
export function inGroups<T>(items: readonly T[], size = RUN_ROWS_PER_ASK): T[][] {
	const groups: T[][] = [];
	for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
	return groups;
}

/** One request for several runs' changed rows of a table. */
export async function fetchRunRows(
	table: 'generations' | 'verdicts',
	asks: readonly RunRowsAsk[],
	errorMessage: (response: Response) => Promise<string>
): Promise<{ ipc: Uint8Array; runs: RunRowsChange[] }> {
	const response = await fetch('/api/run-tables/rows', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ table, runs: asks })
	});
	if (!response.ok) throw new Error(await errorMessage(response));
	return parseRunRows(new Uint8Array(await response.arrayBuffer()));
}

const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * The statements that apply an answer's rows, loaded as table `changes`, to the loaded `table`:
 * the rows of runs whose answer is `full` go (a run gone from the folder: full with none), other
 * rows of the same run and unit are replaced, and every row of the answer is added.
 */
export function runRowsStatements(table: string, changes: string, runs: readonly RunRowsChange[]): string[] {
	const t = `"${table.replaceAll('"', '""')}"`;
	const full = runs.filter((r) => r.full).map((r) => quoted(r.run_id));
	const statements: string[] = [];
	if (full.length > 0) statements.push(`DELETE FROM ${t} WHERE run_id IN (${full.join(', ')})`);
	if (runs.some((r) => !r.full && r.count > 0)) {
		statements.push(`DELETE FROM ${t} WHERE EXISTS (SELECT 1 FROM ${changes} c WHERE c.run_id = ${t}.run_id AND c.unit_id = ${t}.unit_id)`);
	}
	if (runs.some((r) => r.count > 0)) statements.push(`INSERT INTO ${t} SELECT * FROM ${changes}`);
	return statements;
}

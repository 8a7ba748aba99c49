// How a sql cell's result is read out of the engine: its first `limit` rows and the exact count,
// running the user's query once where running it twice would cost the most.
// A result whose plan's top (under projections and filters) groups or aggregates is read ONCE,
// with its count alongside: SELECT *, count(*) OVER () … LIMIT n (the count column dropped
// after); re-running it for its count would group everything again. So is a sorted one whose
// sort's input (under projections and filters) is a grouping or aggregate (GROUP BY … ORDER BY):
// the window then holds the grouped rows, which the grouping held anyway; and so is either of
// these under the user's own LIMIT … OFFSET (a window over at most the grouped rows). Any other result —
// sorted ones too — streams: its LIMIT read stops after `limit` rows (a sort under a LIMIT keeps only
// those, DuckDB's TOP_N), and only then, for a result that filled it, a count(*) over the view
// (DuckDB computes no column and no sort the count does not need). A window count over a sorted
// or streamed result would hold all of it in the engine's memory (a sorted 1M rows of 1 kB:
// 1.1 GB more and 4× the time, in a WASM heap capped at 4 GB; bench/sql-cell-count.ts).
import type { ResultTable, SqlEngine } from './cells/kind.ts';
import { quoteIdent } from './sql-ident.ts';

/** The count column of a windowed read (dropped before anyone sees the table). */
const COUNT_COLUMN = '__covw_result_rows';
/** Operators whose output is already whole and smaller than their input: a count alongside costs nothing more. */
const BLOCKING = new Set(['HASH_GROUP_BY', 'PERFECT_HASH_GROUP_BY', 'UNGROUPED_AGGREGATE']);
/** Operators that pass their one input's rows on as they come. */
const PASS_THROUGH = new Set(['PROJECTION', 'FILTER']);
/** Sorts: blocking too, but holding their whole input; read once only when that input is a grouping (above). */
const SORTS = new Set(['ORDER_BY', 'TOP_N']);
/** The user's own LIMIT … OFFSET (TOP_N when small): looked through, so a grouping (sorted or not) under it is read once too. */
const LIMITS = new Set(['LIMIT', 'STREAMING_LIMIT']);

interface PlanNode {
	name?: unknown;
	children?: PlanNode[];
}

const nameOf = (node: PlanNode) => String(node.name).trim();
/** The first node under `node` (itself included) that does not pass its one input's rows on as they come. */
function belowPassThrough(node: PlanNode | undefined): PlanNode | undefined {
	while (node && PASS_THROUGH.has(nameOf(node)) && node.children?.length === 1) node = node.children[0];
	return node;
}

/**
 * Whether the result of relation `name` comes out of a grouping or aggregate, or out of a sort of
 * one (its plan, EXPLAIN (FORMAT JSON)); false when the plan cannot be read.
 */
export async function resultIsBlocking(engine: SqlEngine, name: string): Promise<boolean> {
	try {
		const plan = await engine.query(`EXPLAIN (FORMAT JSON) SELECT * FROM ${quoteIdent(name)}`);
		const text = plan.getChild('explain_value')?.get(0);
		if (typeof text !== 'string') return false;
		let node = belowPassThrough((JSON.parse(text) as PlanNode[])[0]);
		if (node && LIMITS.has(nameOf(node)) && node.children?.length === 1) node = belowPassThrough(node.children[0]);
		if (node && SORTS.has(nameOf(node)) && node.children?.length === 1) node = belowPassThrough(node.children[0]);
		return !!node && BLOCKING.has(nameOf(node));
	} catch {
		// No plan (an engine without EXPLAIN): read it the streamed way, which is always right.
		return false;
	}
}

/** The table without its last column: Arrow's selectAt where the engine's table has it. */
function withoutLastColumn(table: ResultTable): ResultTable {
	const keep = table.schema.fields.length - 1;
	const arrow = table as ResultTable & { selectAt?(indices: number[]): ResultTable };
	if (typeof arrow.selectAt === 'function') return arrow.selectAt(Array.from({ length: keep }, (_, i) => i));
	return { numRows: table.numRows, schema: { fields: table.schema.fields.slice(0, keep) }, getChild: (n) => (n === COUNT_COLUMN ? null : table.getChild(n)) };
}

/** The last column of a table (by position: a user's column may have the count column's name). */
function lastColumn(table: ResultTable): { get(i: number): unknown } | null {
	const arrow = table as ResultTable & { getChildAt?(i: number): { get(i: number): unknown } | null };
	return typeof arrow.getChildAt === 'function' ? arrow.getChildAt(table.schema.fields.length - 1) : table.getChild(COUNT_COLUMN);
}

/**
 * The first `limit` rows of relation `name` and its exact row count; `fail` turns an engine
 * error into the cell's. The query runs once for a blocking result, and at most once in full
 * (plus its first `limit` rows) for a streamed one.
 */
export async function readHeadAndCount(engine: SqlEngine, name: string, limit: number, fail: (e: unknown) => Error): Promise<{ table: ResultTable; rowCount: number; reads: 'once' | 'streamed' }> {
	const rel = quoteIdent(name);
	const query = (sql: string) => engine.query(sql).catch((e) => Promise.reject(fail(e)));
	if (await resultIsBlocking(engine, name)) {
		const withCount = await query(`SELECT *, count(*) OVER () AS ${quoteIdent(COUNT_COLUMN)} FROM ${rel} LIMIT ${limit}`);
		const rowCount = withCount.numRows === 0 ? 0 : Number(lastColumn(withCount)?.get(0) ?? withCount.numRows);
		return { table: withoutLastColumn(withCount), rowCount, reads: 'once' };
	}
	const table = await query(`SELECT * FROM ${rel} LIMIT ${limit}`);
	if (table.numRows < limit) return { table, rowCount: table.numRows, reads: 'streamed' };
	const counted = await query(`SELECT count(*) AS n FROM ${rel}`);
	return { table, rowCount: Number(counted.getChild('n')?.get(0) ?? table.numRows), reads: 'streamed' };
}

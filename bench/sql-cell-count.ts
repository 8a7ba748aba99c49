// A SQL cell whose result has more than SHOWN_ROWS rows (notebook/cells/sql.ts): the page gets
// the first SHOWN_ROWS rows and the exact count. Three ways to get both, timed on 1M-row results
// in the headless engine (duckdb-wasm's Node bundle, the browser's engine and version):
//   twice   the view read with LIMIT, then SELECT count(*) over it: the user's query runs twice
//   window  one read: SELECT *, count(*) OVER () … LIMIT (the count column dropped after)
//   temp    the result materialised once into a temp table, then its first rows and its count
//   stream  one read, streamed: the first rows kept, the rest only counted batch by batch
//   cell    what a sql cell does (notebook/sql-result-read.ts): `window` when the plan's top
//           groups or aggregates (its output is whole and smaller than its input), else
//           `twice` (the LIMIT read stops early — a sort under it keeps only those rows — and
//           the count computes no unused column and no sort). Sorted results went to `window`
//           at first; a review measured a sorted `wide` query at 6,978 ms and 3,085 MB that way
//           against 1,786 ms and 1,951 MB `twice`, so they read twice now.
// Queries: `sort` (ORDER BY: nothing comes out before all is read), `scan` (rows stream out:
// LIMIT stops early), `agg` (1M groups), `filter` (rows kept by a computed column's value),
// `wide` (1 kB rows, streamed: what holding the whole result costs in memory). Prints one line per query × way: median ms of `reps`,
// and the process's RSS after (the WASM heap only grows: what the way needed at its peak).
// Measured 2026-11-29 (2 shared cores, busy: medians of 5/7, ms; RSS MB of a fresh process):
//   sort    twice 1182  window 557   temp 1066  stream 658   (a second run re-sorts)
//   agg     twice 2279  window 1306  temp 1427  stream 1645
//   scan    twice 171   window 426   temp 330   stream 766   (LIMIT stops early; count prunes)
//   filter  twice 615   window 937   temp 643   stream 496
//   wide    twice 317/939 MB  window 1116/1981 MB  stream 2244/1681 MB (window holds it all)
// so `cell` picks per plan; a later run, busier: sort 3682 → 1796, agg 3808 → 2621 against
// twice, scan 265 → 282, wide 728 → 719 (and 823 MB, not window's 2009).
// Grouped THEN sorted (`aggsort*`: ORDER_BY over the grouping) read twice until wave 9; `cell`
// reads it once now (window). Measured 2026-11-29, load 6–8 on 2 cores, three rounds of fresh
// processes taken in turns (`… 5 twice aggsort`, `… 5 cell aggsort`, …), medians of 5, ms / RSS MB:
//   aggsort     (500k groups) twice 1961 1591 1783 / 376 387 407   cell (once) 1122 803 1036 / 429 447 417
//   aggsort_mid (150k groups) twice 1260 1468 1305 / 333 349 333   cell (once) 1041 747 945 / 382 360 366
//   aggsort_few (1,000 groups: under SHOWN, one read either way)   cell 343 / 276
// so once: ~40% less time for ~10–15% more memory (the window holds the grouped rows).
// (`twice` here always counts; a cell that got fewer than SHOWN rows skips the count.)
// Run: deno run --allow-read --allow-env --allow-sys=cpus bench/sql-cell-count.ts [reps] [way] [query]
// (with a way and a query: that one alone, in a fresh process — how its memory is compared).
import process from 'node:process';
import { connectNodeDuckDB } from '../src/lib/node/headless/engine.ts';
import type { SqlEngine } from '../src/lib/notebook/cells/kind.ts';
import { readHeadAndCount } from '../src/lib/notebook/sql-result-read.ts';

const SHOWN = 100_000;
const [repsArg, onlyWay, onlyQuery] = Deno.args;
const reps = Number(repsArg ?? 5) || 5;
const queries: Record<string, string> = {
	sort: "SELECT i, md5(i::VARCHAR) AS h, i % 97 AS g FROM range(1000000) t(i) ORDER BY h",
	scan: "SELECT i, md5(i::VARCHAR) AS h, i % 97 AS g FROM range(1500000) t(i) WHERE i % 3 <> 0",
	agg: "SELECT i % 1000000 AS k, count(*) AS n, max(md5(i::VARCHAR)) AS h FROM range(3000000) t(i) GROUP BY k",
	// A filter on a computed column: the count cannot prune what the rows need.
	filter: "SELECT i, md5(i::VARCHAR) AS h FROM range(1070000) t(i) WHERE md5(i::VARCHAR) NOT LIKE '0%'",
	// Wide rows (a 1 kB text, like a generation's code): what buffering the whole result costs.
	wide: "SELECT i, repeat('x', 1000) || i::VARCHAR AS code FROM range(1000000) t(i)",
	// Grouped THEN sorted (the plan's top is ORDER_BY over the grouping), 1M rows in: many
	// groups (500k: past SHOWN, so the count is needed), few (1,000: under SHOWN, one read
	// either way), and just past SHOWN (150k).
	aggsort: "SELECT i % 500000 AS k, count(*) AS n, max(md5(i::VARCHAR)) AS h FROM range(1000000) t(i) GROUP BY k ORDER BY h",
	aggsort_mid: "SELECT i % 150000 AS k, count(*) AS n, max(md5(i::VARCHAR)) AS h FROM range(1000000) t(i) GROUP BY k ORDER BY h",
	aggsort_few: "SELECT i % 1000 AS k, count(*) AS n, max(md5(i::VARCHAR)) AS h FROM range(1000000) t(i) GROUP BY k ORDER BY h"
};

const conn = await connectNodeDuckDB();
const engine = { query: async (sql: string) => conn.query(sql), exec: async (sql: string) => void conn.query(sql) };
const asSqlEngine = engine as unknown as SqlEngine;
const ways: Record<string, () => Promise<{ rows: number; count: number }>> = {
	async twice() {
		const t = await engine.query(`SELECT * FROM "cell" LIMIT ${SHOWN}`);
		const c = await engine.query('SELECT count(*) AS n FROM "cell"');
		return { rows: t.numRows, count: Number(c.getChild('n')!.get(0)) };
	},
	async window() {
		const t = await engine.query(`SELECT *, count(*) OVER () AS "__n" FROM "cell" LIMIT ${SHOWN}`);
		return { rows: t.numRows, count: Number(t.getChild('__n')!.get(0)) };
	},
	async temp() {
		await engine.exec('CREATE OR REPLACE TEMP TABLE "__cell" AS SELECT * FROM "cell"');
		const t = await engine.query(`SELECT * FROM "__cell" LIMIT ${SHOWN}`);
		const c = await engine.query('SELECT count(*) AS n FROM "__cell"');
		await engine.exec('DROP TABLE "__cell"');
		return { rows: t.numRows, count: Number(c.getChild('n')!.get(0)) };
	},
	async cell() {
		const out = await readHeadAndCount(asSqlEngine, 'cell', SHOWN, (e) => (e instanceof Error ? e : new Error(String(e))));
		return { rows: out.table.numRows, count: out.rowCount };
	},
	async stream() {
		const reader = await (conn as unknown as { send(sql: string): Promise<AsyncIterable<{ numRows: number }>> }).send('SELECT * FROM "cell"');
		let rows = 0;
		let count = 0;
		const kept: unknown[] = [];
		for await (const batch of reader) {
			if (rows < SHOWN) {
				kept.push(batch);
				rows += batch.numRows;
			}
			count += batch.numRows;
		}
		return { rows: Math.min(rows, SHOWN), count };
	}
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, sql] of Object.entries(queries)) {
	if (onlyQuery && name !== onlyQuery) continue;
	await engine.exec(`CREATE OR REPLACE VIEW "cell" AS ${sql}`);
	for (const [way, run] of Object.entries(ways)) {
		if (onlyWay && way !== onlyWay) continue;
		await run(); // warm-up
		const times: number[] = [];
		let out = { rows: 0, count: 0 };
		for (let i = 0; i < reps; i++) {
			const t0 = performance.now();
			out = await run();
			times.push(performance.now() - t0);
		}
		console.log(JSON.stringify({ query: name, way, median_ms: Math.round(median(times)), min_ms: Math.round(Math.min(...times)), rows: out.rows, count: out.count, rss_mb: Math.round(process.memoryUsage().rss / 1e6) }));
	}
}
conn.close();

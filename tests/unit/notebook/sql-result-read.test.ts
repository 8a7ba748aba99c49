// A sql cell whose result is larger than the page holds: its first SHOWN_ROWS rows and the exact
// count, with the user's query run ONCE where a second run would sort or group it all again —
// on the real engine (duckdb-wasm's Node bundle, the browser's engine and version). The engine's
// statements are logged, so the test sees how often the cell's view was read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHeadlessEngine, type HeadlessEngine } from '../../../src/lib/node/headless/engine.ts';
import { runNotebookHeadless } from '../../../src/lib/node/headless/run-notebook.ts';
import { runNotebook, type SqlEngine } from '../../../src/lib/notebook/executor.ts';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { SHOWN_ROWS } from '../../../src/lib/notebook/cells/sql.ts';
import { resultIsBlocking } from '../../../src/lib/notebook/sql-result-read.ts';

const cell = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const N = SHOWN_ROWS + 5;

let engine: HeadlessEngine;
let log: string[];
let logged: SqlEngine;
beforeAll(async () => {
	engine = await createHeadlessEngine();
	log = [];
	logged = {
		query: (sql) => (log.push(sql), engine.query(sql)),
		exec: (sql) => (log.push(sql), engine.exec(sql)),
		registerRows: (n, c) => engine.registerRows(n, c),
		tableNames: () => engine.tableNames()
	};
});
afterAll(() => engine.close());

/** Runs one sql cell; what it gave and the statements that read its view (not the EXPLAIN). */
async function runCell(sql: string) {
	log.length = 0;
	const { results } = await runNotebook(parseNotebook(cell('sql id=big', sql)), logged);
	const reads = log.filter((s) => s.includes('"big"') && !s.startsWith('CREATE') && !s.startsWith('EXPLAIN'));
	return { result: results[0], reads };
}

describe('a sql cell over SHOWN_ROWS rows', () => {
	it('sorted: its first rows in the query\'s order (a LIMIT keeps only those), then a count that needs no sort — never a window over every sorted row', async () => {
		const { result, reads } = await runCell(`SELECT i, md5(i::VARCHAR) AS h FROM range(${N}) t(i) ORDER BY h DESC`);
		expect(result.status).toBe('ok');
		expect(result.rowCount).toBe(N);
		expect(result.table!.numRows).toBe(SHOWN_ROWS);
		expect(reads).toEqual([`SELECT * FROM "big" LIMIT ${SHOWN_ROWS}`, 'SELECT count(*) AS n FROM "big"']);
		// Only the user's columns, in the order the query gave them.
		expect(result.table!.schema.fields.map((f) => f.name)).toEqual(['i', 'h']);
		const expected = (await engine.query(`SELECT h FROM "big" LIMIT ${SHOWN_ROWS}`)).getChild('h')!.toArray();
		expect(Array.from(result.table!.getChild('h')!.toArray())).toEqual(Array.from(expected));
	});

	it('grouped: read once, exact count', async () => {
		const { result, reads } = await runCell(`SELECT i % ${N} AS k, count(*) AS n FROM range(${2 * N}) t(i) GROUP BY k`);
		expect([result.rowCount, result.table!.numRows, reads.length]).toEqual([N, SHOWN_ROWS, 1]);
		expect(result.table!.schema.fields.map((f) => f.name)).toEqual(['k', 'n']);
	});

	it('grouped then sorted (GROUP BY … ORDER BY): read once, its first rows in the query\'s order, exact count', async () => {
		const sql = `SELECT i % ${N} AS k, count(*) AS n, max(md5(i::VARCHAR)) AS h FROM range(${2 * N}) t(i) GROUP BY k ORDER BY h DESC`;
		const { result, reads } = await runCell(sql);
		expect(reads).toEqual([`SELECT *, count(*) OVER () AS "__covw_result_rows" FROM "big" LIMIT ${SHOWN_ROWS}`]);
		expect([result.status, result.rowCount, result.table!.numRows]).toEqual(['ok', N, SHOWN_ROWS]);
		expect(result.table!.schema.fields.map((f) => f.name)).toEqual(['k', 'n', 'h']);
		// The window keeps the sort's order: the same first rows as the query alone with a LIMIT.
		const expected = (await engine.query(`SELECT h FROM (${sql}) LIMIT ${SHOWN_ROWS}`)).getChild('h')!.toArray();
		expect(Array.from(result.table!.getChild('h')!.toArray())).toEqual(Array.from(expected));
	});

	it('grouped, sorted, then the user\'s own LIMIT … OFFSET over more than shown (a LIMIT node, not a TOP_N): read once, in order, exact count', async () => {
		const sql = `SELECT i % ${N + 7} AS k, max(md5(i::VARCHAR)) AS h FROM range(${2 * N}) t(i) GROUP BY k ORDER BY h DESC LIMIT ${N + 3} OFFSET 2`;
		const { result, reads } = await runCell(sql);
		expect(reads).toEqual([`SELECT *, count(*) OVER () AS "__covw_result_rows" FROM "big" LIMIT ${SHOWN_ROWS}`]);
		expect([result.status, result.rowCount, result.table!.numRows]).toEqual(['ok', N + 3, SHOWN_ROWS]);
		const expected = (await engine.query(`SELECT h FROM (${sql}) LIMIT ${SHOWN_ROWS}`)).getChild('h')!.toArray();
		expect(Array.from(result.table!.getChild('h')!.toArray())).toEqual(Array.from(expected));
	});

	it('a user column with the count column\'s name is kept, and the count is still right', async () => {
		const { result, reads } = await runCell(`SELECT i % ${N} AS __covw_result_rows, count(*) AS n FROM range(${2 * N}) t(i) GROUP BY 1`);
		expect([result.rowCount, reads.length]).toEqual([N, 1]);
		expect(result.table!.schema.fields.map((f) => f.name)).toEqual(['__covw_result_rows', 'n']);
		expect(Number(result.table!.getChild('n')!.get(0))).toBe(2);
	});

	it('streamed: its first rows (the read stops there), then a count over the view', async () => {
		const { result, reads } = await runCell(`SELECT i FROM range(${N}) t(i) WHERE i % 2 = 0 OR i < ${N}`);
		expect([result.rowCount, result.table!.numRows]).toEqual([N, SHOWN_ROWS]);
		expect(reads).toEqual([`SELECT * FROM "big" LIMIT ${SHOWN_ROWS}`, 'SELECT count(*) AS n FROM "big"']);
	});

	it('small results: one read, whole, either way', async () => {
		for (const sql of ['SELECT i FROM range(7) t(i) ORDER BY i DESC', 'SELECT i FROM range(7) t(i)', 'SELECT i FROM range(0) t(i) ORDER BY i']) {
			const { result, reads } = await runCell(sql);
			expect(reads).toHaveLength(1);
			expect(result.rowCount).toBe(result.table!.numRows);
		}
	});

	it('tells a blocking plan from a streamed one', async () => {
		const blocking = async (sql: string) => {
			await engine.exec(`CREATE OR REPLACE VIEW "p" AS ${sql}`);
			return resultIsBlocking(engine, 'p');
		};
		expect(await blocking('SELECT i FROM range(9) t(i) ORDER BY i DESC')).toBe(false);
		// a sort of a grouping or aggregate (under a HAVING's filter too), and a TOP_N of one
		expect(await blocking('SELECT i % 2 AS k, count(*) AS n FROM range(9) t(i) GROUP BY k ORDER BY n DESC')).toBe(true);
		expect(await blocking('SELECT i % 2 AS k, count(*) AS n FROM range(9) t(i) GROUP BY k HAVING n > 1 ORDER BY k')).toBe(true);
		expect(await blocking('SELECT count(*) AS n FROM range(9) ORDER BY n')).toBe(true);
		expect(await blocking('SELECT * FROM (SELECT i % 2 AS k, count(*) AS n FROM range(9) t(i) GROUP BY k) ORDER BY k LIMIT 1')).toBe(true);
		// a sort of a join, of a filtered scan: streamed
		expect(await blocking('SELECT a.i FROM range(9) a(i) JOIN range(9) b(j) ON a.i = b.j ORDER BY a.i')).toBe(false);
		expect(await blocking('SELECT i FROM range(9) t(i) WHERE i > 3 ORDER BY i')).toBe(false);
		// the user's LIMIT … OFFSET over a sorted scan: still streamed
		expect(await blocking(`SELECT i FROM range(${N}) t(i) ORDER BY i DESC LIMIT ${N - 2} OFFSET 1`)).toBe(false);
		expect(await blocking('SELECT i % 2 AS k, count(*) AS n FROM range(9) t(i) GROUP BY k HAVING n > 1')).toBe(true);
		expect(await blocking('SELECT count(*) AS n FROM range(9)')).toBe(true);
		expect(await blocking('SELECT i FROM range(9) t(i) WHERE i > 3')).toBe(false);
		expect(await blocking('SELECT a.i FROM range(9) a(i) JOIN range(9) b(j) ON a.i = b.j')).toBe(false);
	});
});

describe('covw notebook run --json on such a cell', () => {
	it('keeps rowCount exact and truncated true (sorted)', async () => {
		const data = mkdtempSync(join(tmpdir(), 'covw-sql-read-'));
		try {
			const report = await runNotebookHeadless({ notebook: 'big.md', text: cell('sql id=big', `SELECT i FROM range(${N}) t(i) ORDER BY i DESC`), dataRoot: data, maxRows: 3 });
			expect(report.cells[0]).toMatchObject({ id: 'big', rowCount: N, truncated: true });
			expect(report.cells[0].rows).toEqual([{ i: N - 1 }, { i: N - 2 }, { i: N - 3 }]);
		} finally {
			rmSync(data, { recursive: true, force: true });
		}
	});

	it('keeps rowCount exact and truncated true (grouped then sorted: read once)', async () => {
		const data = mkdtempSync(join(tmpdir(), 'covw-sql-read-'));
		try {
			const sql = `SELECT i % ${N} AS k, count(*)::INT AS n FROM range(${2 * N}) t(i) GROUP BY k ORDER BY k DESC`;
			const report = await runNotebookHeadless({ notebook: 'big.md', text: cell('sql id=big', sql), dataRoot: data, maxRows: 2 });
			expect(report.cells[0]).toMatchObject({ id: 'big', rowCount: N, truncated: true });
			expect(report.cells[0].rows).toEqual([{ k: N - 1, n: 2 }, { k: N - 2, n: 2 }]);
		} finally {
			rmSync(data, { recursive: true, force: true });
		}
	});
});

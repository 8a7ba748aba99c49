// How often a sql cell's result read runs the user's query, by the shape of its plan, against a
// fake engine that counts: it answers EXPLAIN with a given plan and counts every statement that
// reads the cell's relation. A grouped-then-sorted result (ORDER_BY or TOP_N over a grouping,
// under pass-through nodes) is read once, with its count alongside; a sort over anything else
// streams (its first rows, then a count).
import { describe, expect, it } from 'vitest';
import type { ResultTable, SqlEngine } from '../../../src/lib/notebook/cells/kind.ts';
import { readHeadAndCount } from '../../../src/lib/notebook/sql-result-read.ts';

interface Node {
	name: string;
	children?: Node[];
}
const node = (name: string, ...children: Node[]): Node => ({ name, children });

/** A table of `rows` rows of one column `v`, plus the count column when asked. */
function table(rows: number, countOf: number | null): ResultTable {
	const fields = [{ name: 'v' }, ...(countOf === null ? [] : [{ name: '__covw_result_rows' }])];
	return {
		numRows: rows,
		schema: { fields },
		getChild: (n: string) => (n === 'v' ? { get: (i: number) => i } : n === '__covw_result_rows' && countOf !== null ? { get: () => countOf } : n === 'n' ? { get: () => countOf } : null)
	} as unknown as ResultTable;
}

/** The fake engine: `total` result rows, the plan given; `runs` lists each run of the user's query. */
function fakeEngine(plan: Node, total: number) {
	const runs: string[] = [];
	const engine = {
		async query(sql: string): Promise<ResultTable> {
			if (sql.startsWith('EXPLAIN')) return { numRows: 1, schema: { fields: [{ name: 'explain_value' }] }, getChild: () => ({ get: () => JSON.stringify([plan]) }) } as unknown as ResultTable;
			if (!sql.includes('"cell"')) throw new Error(`unexpected: ${sql}`);
			runs.push(sql);
			const limit = /LIMIT (\d+)/.exec(sql);
			if (sql.includes('count(*) OVER ()')) return table(Math.min(total, Number(limit![1])), total);
			if (sql.startsWith('SELECT count(*)')) return table(1, total);
			return table(Math.min(total, Number(limit![1])), null);
		},
		async exec() {}
	};
	return { engine: engine as unknown as SqlEngine, runs };
}

const read = (plan: Node, total: number) => {
	const { engine, runs } = fakeEngine(plan, total);
	return readHeadAndCount(engine, 'cell', 100, (e) => (e instanceof Error ? e : new Error(String(e)))).then((out) => ({ ...out, runs }));
};

const grouping = node('HASH_GROUP_BY', node('PROJECTION', node('SEQ_SCAN')));

describe('a sql cell result of 250 rows, 100 shown', () => {
	it('grouped then sorted: one run of the query, exact count, the count column dropped', async () => {
		for (const plan of [
			node('ORDER_BY', grouping),
			node('PROJECTION', node('ORDER_BY', node('FILTER', grouping))),
			node('TOP_N', node('PROJECTION', node('PERFECT_HASH_GROUP_BY', node('SEQ_SCAN')))),
			node('ORDER_BY', node('UNGROUPED_AGGREGATE', node('SEQ_SCAN'))),
			// the user's own LIMIT … OFFSET over those (or over a grouping alone)
			node('STREAMING_LIMIT', node('ORDER_BY', grouping)),
			node('LIMIT', node('PROJECTION', node('ORDER_BY', grouping))),
			node('STREAMING_LIMIT', grouping)
		]) {
			const out = await read(plan, 250);
			expect(out.runs).toHaveLength(1);
			expect(out.runs[0]).toContain('count(*) OVER ()');
			expect([out.reads, out.rowCount, out.table.numRows]).toEqual(['once', 250, 100]);
			expect(out.table.schema.fields.map((f) => f.name)).toEqual(['v']);
		}
	});

	it('sorted over anything but a grouping: its first rows, then a count (two runs)', async () => {
		for (const plan of [node('ORDER_BY', node('SEQ_SCAN')), node('ORDER_BY', node('HASH_JOIN', grouping, node('SEQ_SCAN'))), node('ORDER_BY', node('WINDOW', grouping)), node('STREAMING_LIMIT', node('ORDER_BY', node('SEQ_SCAN')))]) {
			const out = await read(plan, 250);
			expect(out.runs).toEqual(['SELECT * FROM "cell" LIMIT 100', 'SELECT count(*) AS n FROM "cell"']);
			expect([out.reads, out.rowCount]).toEqual(['streamed', 250]);
		}
	});

	it('grouped then sorted with fewer rows than shown: one run, whole', async () => {
		const out = await read(node('ORDER_BY', grouping), 40);
		expect(out.runs).toHaveLength(1);
		expect([out.rowCount, out.table.numRows]).toEqual([40, 40]);
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataFile } from '../../../../src/lib/node/datasets/load-table.ts';
import { connectNodeDuckDB, type BlockingConnection } from '../../../../src/lib/node/headless/engine.ts';

// The consumer of our bytes is DuckDB-WASM's insertArrowFromIPCStream. This runs the same
// package's Node bundle on them, so "DuckDB reads what we serve" is checked, not assumed.
let conn: BlockingConnection;
beforeAll(async () => {
	conn = await connectNodeDuckDB();
});
afterAll(() => conn?.close());

const rows = (sql: string) => conn.query(sql).toArray().map((row) => row.toJSON());
const encoder = new TextEncoder();

describe('DuckDB-WASM ingests the IPC streams we serve', () => {
	it('a CSV table: types, nulls, empty strings, UTF-8, odd column names', () => {
		const csv = 'model,2024,score,ok,note\nα-model,x,0.5,true,"a ""b"""\nB,,,false,""\nC,z,2,,\n';
		const loaded = loadDataFile(encoder.encode(csv), 'csv', 't.csv');
		conn.insertArrowFromIPCStream(loaded.ipcStream.slice(), { name: 'from_csv', create: true });
		const types = rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'from_csv' ORDER BY ordinal_position");
		expect(types).toEqual([
			{ column_name: 'model', data_type: 'VARCHAR' },
			{ column_name: '2024', data_type: 'VARCHAR' },
			{ column_name: 'score', data_type: 'DOUBLE' },
			{ column_name: 'ok', data_type: 'BOOLEAN' },
			{ column_name: 'note', data_type: 'VARCHAR' }
		]);
		expect(rows('SELECT model, "2024" AS y, score, ok, note, note IS NULL AS note_null FROM from_csv ORDER BY model')).toEqual([
			{ model: 'B', y: null, score: null, ok: false, note: '', note_null: false },
			{ model: 'C', y: 'z', score: 2, ok: null, note: null, note_null: true },
			{ model: 'α-model', y: 'x', score: 0.5, ok: true, note: 'a "b"', note_null: false }
		]);
	});

	it('a JSONL table with missing keys and nested values', () => {
		const jsonl = '{"id":"a","n":1,"meta":{"k":1}}\n{"id":"b","flag":true}\n';
		const loaded = loadDataFile(encoder.encode(jsonl), 'jsonl', 't.jsonl');
		conn.insertArrowFromIPCStream(loaded.ipcStream.slice(), { name: 'from_jsonl', create: true });
		expect(rows('SELECT id, n, meta, flag FROM from_jsonl ORDER BY id')).toEqual([
			{ id: 'a', n: 1, meta: '{"k":1}', flag: null },
			{ id: 'b', n: null, meta: null, flag: true }
		]);
	});

	it('a bigger table survives intact (aggregates match what was generated)', () => {
		const lines = ['run_id,model,vulnerable,score'];
		let expectedSum = 0;
		let expectedVulnerable = 0;
		for (let i = 0; i < 20000; i++) {
			const vulnerable = i % 3 === 0 ? 'true' : i % 3 === 1 ? 'false' : '';
			if (vulnerable === 'true') expectedVulnerable++;
			expectedSum += i % 7;
			lines.push(`r${i % 10},model-${i % 20},${vulnerable},${i % 7}`);
		}
		const loaded = loadDataFile(encoder.encode(lines.join('\n')), 'csv', 'big.csv');
		conn.insertArrowFromIPCStream(loaded.ipcStream.slice(), { name: 'big', create: true });
		expect(rows('SELECT count(*)::INT AS n, sum(score) AS s, count(*) FILTER (WHERE vulnerable)::INT AS v, count(*) FILTER (WHERE vulnerable IS NULL)::INT AS u, count(DISTINCT model)::INT AS m FROM big')).toEqual([
			{ n: 20000, s: expectedSum, v: expectedVulnerable, u: 6666, m: 20 }
		]);
	});
});

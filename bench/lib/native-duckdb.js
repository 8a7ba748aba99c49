// Native DuckDB (@duckdb/node-api) over the same generated data, loaded from the CSV copy.
import { DuckDBInstance } from '@duckdb/node-api';
import { VERDICT_CSV_TYPES } from './verdicts-csv.js';

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

/** @param {string} csvPath @param {string} table */
export async function openNativeVerdicts(csvPath, table) {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	const types = Object.entries(VERDICT_CSV_TYPES).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ');
	await conn.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv(${sqlString(csvPath)}, header = true, columns = {${types}})`);
	const version = (await conn.runAndReadAll('SELECT version()')).getRows()[0][0];
	return {
		version: String(version),
		/** @param {string} sql */
		async run(sql) {
			await conn.run(sql);
		},
		/** One timed query (read to the end, as the wasm side materializes its result). */
		async time(sql) {
			const t0 = performance.now();
			const reader = await conn.runAndReadAll(sql);
			return { ms: performance.now() - t0, rows: reader.currentRowCount };
		},
		/** Untimed: rows as JSON-able arrays, for comparing with the wasm side. */
		async rows(sql) {
			const reader = await conn.runAndReadAll(sql);
			return reader.getRowsJson();
		},
		close() {
			conn.closeSync();
			instance.closeSync?.();
		}
	};
}

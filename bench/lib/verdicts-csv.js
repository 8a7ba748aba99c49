// The generated verdict columns as a CSV file, for native DuckDB's read_csv (native DuckDB reads
// Arrow IPC only through an extension it would download; CSV is built in). Doubles are written
// with JS's shortest round-trip form, so DuckDB parses back the exact same values.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { VERDICT_COLUMNS } from './verdicts-columns.js';

const CHUNK_ROWS = 50_000;

/**
 * @param {ReturnType<typeof import('./verdicts-columns.js').generateVerdictColumns>} columns
 * @param {string} path
 */
export async function writeVerdictsCsv(columns, path) {
	const out = createWriteStream(path);
	const { run_id, model, task, cwe, judge } = columns.text;
	const flag = ['', 'false', 'true']; // index = vulnerable + 1; empty field = NULL
	out.write(VERDICT_COLUMNS.join(',') + '\n');
	for (let start = 0; start < columns.rowCount; start += CHUNK_ROWS) {
		const end = Math.min(columns.rowCount, start + CHUNK_ROWS);
		let chunk = '';
		for (let i = start; i < end; i++) {
			chunk += `${run_id.values[run_id.codes[i]]},${model.values[model.codes[i]]},${task.values[task.codes[i]]},${cwe.values[cwe.codes[i]]},${judge.values[judge.codes[i]]},${flag[columns.vulnerable[i] + 1]},${columns.score[i]}\n`;
		}
		if (!out.write(chunk)) await once(out, 'drain');
	}
	out.end();
	await once(out, 'finish');
}

/** DuckDB column types for read_csv, so nothing is left to sniffing. */
export const VERDICT_CSV_TYPES = {
	run_id: 'VARCHAR',
	model: 'VARCHAR',
	task: 'VARCHAR',
	cwe: 'VARCHAR',
	judge: 'VARCHAR',
	vulnerable: 'BOOLEAN',
	score: 'DOUBLE'
};

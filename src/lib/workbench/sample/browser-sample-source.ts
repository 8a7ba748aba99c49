// The sample view's SampleSource: the page's own DuckDB (the tables the notebook queries).
import { connect } from '../browser-engine.ts';
import type { SampleSource } from './sample-data.ts';

export const browserSampleSource: SampleSource = {
	async tableNames() {
		const result = await (await connect()).query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'");
		return result.toArray().map((row) => String(row.table_name));
	},
	async rows(sql: string) {
		const result = await (await connect()).query(sql);
		return result.toArray().map((row) => (row as { toJSON(): Record<string, unknown> }).toJSON());
	}
};

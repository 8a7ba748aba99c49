// The sample view's SampleSource: the page's own DuckDB (the tables the notebook queries).
// Through browserEngine, so a listed table a query names is fetched first (tables load lazily).
import { browserEngine } from '../browser-engine.ts';
import type { SampleSource } from './sample-data.ts';

export const browserSampleSource: SampleSource = {
	tableNames: () => browserEngine.tableNames(),
	async rows(sql: string) {
		const result = (await browserEngine.query(sql)) as unknown as { toArray(): { toJSON(): Record<string, unknown> }[] };
		return result.toArray().map((row) => row.toJSON());
	}
};

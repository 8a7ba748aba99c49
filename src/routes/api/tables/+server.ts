import { json } from '@sveltejs/kit';
import { dataFolder, runTables } from '$lib/server/workbench.ts';

/**
 * Every table: the data folder's files, then the run tables (generations, verdicts, runs) read
 * from the run logs. Each entry has name, file, rows, columns, or the error that stopped it.
 */
export async function GET() {
	const runs = runTables();
	const files = (await dataFolder().scan()).map((table) =>
		runs.has(table.name)
			? { ...table, rows: 0, columns: [], error: `${table.file}: the name "${table.name}" is the run table's; rename the file` }
			: table
	);
	return json([...files, ...(await runs.list())]);
}

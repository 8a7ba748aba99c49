// Every table of a data folder into a headless engine. A file that does not load is reported
// (with the data folder's message: file and line) and skipped: the other tables still load, and a
// cell that reads the missing one fails with DuckDB's own "does not exist" error.
import { DataFolder } from '../datasets/index.ts';
import type { HeadlessEngine } from './engine.ts';

export interface TableLoad {
	name: string;
	/** Path relative to the data folder. */
	file: string;
	rows: number;
	error?: string;
	/** Lines the table left out (a label file's lines that are not valid labels), naming file and line. */
	warnings?: string[];
}

export async function loadDataFolder(engine: Pick<HeadlessEngine, 'loadArrowTable'>, root: string): Promise<TableLoad[]> {
	const folder = new DataFolder(root);
	const loads: TableLoad[] = [];
	for (const info of await folder.scan()) {
		if (info.error !== undefined) {
			loads.push({ name: info.name, file: info.file, rows: 0, error: info.error });
			continue;
		}
		try {
			// DataFolder shares its bytes between callers and DuckDB detaches the buffer it is given.
			engine.loadArrowTable(info.name, (await folder.ipcStream(info.name)).slice());
			loads.push({ name: info.name, file: info.file, rows: info.rows, ...(info.warnings ? { warnings: info.warnings } : {}) });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			loads.push({ name: info.name, file: info.file, rows: 0, error: `${info.file}: could not be loaded into DuckDB (${message})` });
		}
	}
	return loads;
}

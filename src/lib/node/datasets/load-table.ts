import { tableToIPC, type Table } from 'apache-arrow';
import type { DataFileFormat } from './find-data-files.ts';
import { readArrow } from './read-arrow.ts';
import { readCsv } from './read-csv.ts';
import { readJsonl } from './read-jsonl.ts';
import { isLabelFile, readLabelsTable } from './read-labels.ts';
import type { ColumnInfo } from './table-info.ts';
import { DATA_LIMITS, type DataLimits } from './limits.ts';

/** A parsed data file, kept as the bytes the browser needs rather than as a Table. */
export interface LoadedTable {
	rows: number;
	columns: ColumnInfo[];
	/** Arrow IPC *stream* format: DuckDB-WASM's insertArrowFromIPCStream ignores the file format. */
	ipcStream: Uint8Array;
	/** Lines left out of the table, each naming its file, line and field (the label files' bad lines). */
	warnings?: string[];
}

export function parseDataFile(bytes: Uint8Array, format: DataFileFormat, relativePath: string, limits: DataLimits = DATA_LIMITS): Table {
	switch (format) {
		case 'csv':
			return readCsv(bytes, relativePath, limits);
		case 'jsonl':
			return readJsonl(bytes, relativePath, limits);
		case 'arrow':
			return readArrow(bytes, relativePath, limits);
	}
}

export function loadDataFile(bytes: Uint8Array, format: DataFileFormat, relativePath: string, limits: DataLimits = DATA_LIMITS): LoadedTable {
	// The label files are read as labels (typed columns, bad lines left out with a warning).
	const { table, warnings } = format === 'jsonl' && isLabelFile(relativePath) ? readLabelsTable(bytes, relativePath) : { table: parseDataFile(bytes, format, relativePath, limits), warnings: [] };
	return {
		rows: table.numRows,
		columns: table.schema.fields.map((field) => ({ name: field.name, type: String(field.type) })),
		ipcStream: tableToIPC(table, 'stream'),
		...(warnings.length ? { warnings } : {})
	};
}

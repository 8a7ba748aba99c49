import { tableToIPC, type Table } from 'apache-arrow';
import type { DataFileFormat } from './find-data-files.ts';
import { readArrow } from './read-arrow.ts';
import { readCsv } from './read-csv.ts';
import { readJsonl } from './read-jsonl.ts';
import type { ColumnInfo } from './table-info.ts';

/** A parsed data file, kept as the bytes the browser needs rather than as a Table. */
export interface LoadedTable {
	rows: number;
	columns: ColumnInfo[];
	/** Arrow IPC *stream* format: DuckDB-WASM's insertArrowFromIPCStream ignores the file format. */
	ipcStream: Uint8Array;
}

export function parseDataFile(bytes: Uint8Array, format: DataFileFormat, relativePath: string): Table {
	switch (format) {
		case 'csv':
			return readCsv(bytes, relativePath);
		case 'jsonl':
			return readJsonl(bytes, relativePath);
		case 'arrow':
			return readArrow(bytes, relativePath);
	}
}

export function loadDataFile(bytes: Uint8Array, format: DataFileFormat, relativePath: string): LoadedTable {
	const table = parseDataFile(bytes, format, relativePath);
	return {
		rows: table.numRows,
		columns: table.schema.fields.map((field) => ({ name: field.name, type: String(field.type) })),
		ipcStream: tableToIPC(table, 'stream')
	};
}

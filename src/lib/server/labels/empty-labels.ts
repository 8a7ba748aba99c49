// The `labels` table before the first label is given (no labels.jsonl yet): listed and served
// with its columns and no rows, so notebooks that read it (vul-evol's acceptance counts) run
// and find nothing instead of failing on a missing table. Every listing of the data folder's
// tables (the tables API, first-paint recordings) goes through these two functions, so they all
// list the same names in the same order: the files, then this table when there is no file.
import { emptyTableIPC } from '../../arrow/empty-table.ts';
import { LABEL_TABLE_COLUMNS, LABELS_TABLE } from '../../core/labels/label.ts';
import { UnknownTableError, type DataFolder } from '../../node/datasets/index.ts';
import type { TableInfo } from '../../node/datasets/table-info.ts';
import { NO_LABELS_FILE } from '../../node/headless/empty-labels.ts';

export const NO_LABELS_TABLE: TableInfo = { name: LABELS_TABLE, file: NO_LABELS_FILE, rows: 0, columns: LABEL_TABLE_COLUMNS.map((c) => ({ name: c.name, type: c.type })) };

// One array: callers key caches on the bytes' identity (first paint), as the data folder's are.
let noLabelsBytes: Uint8Array | null = null;
export function noLabelsIPC(): Uint8Array {
	return (noLabelsBytes ??= emptyTableIPC(LABEL_TABLE_COLUMNS));
}

/** The data folder's tables, with the empty labels table after them when there is no labels file. */
export function withNoLabelsTable<T extends { name: string }>(files: T[]): (T | TableInfo)[] {
	return files.some((t) => t.name === LABELS_TABLE) ? files : [...files, NO_LABELS_TABLE];
}

/** A data table's Arrow bytes; the labels table empty when there is no labels file. */
export async function dataTableBytes(folder: DataFolder, name: string): Promise<Uint8Array> {
	try {
		return await folder.ipcStream(name);
	} catch (error) {
		if (error instanceof UnknownTableError && name === LABELS_TABLE) return noLabelsIPC();
		throw error;
	}
}

// The `labels` table before the first label is given (no labels.jsonl yet): listed and served
// with its columns and no rows, so notebooks that read it (vul-evol's acceptance counts) run
// and find nothing instead of failing on a missing table.
import { emptyTableIPC } from '../../arrow/empty-table.ts';
import { LABEL_TABLE_COLUMNS, LABELS_TABLE } from '../../core/labels/label.ts';
import type { TableInfo } from '../../node/datasets/table-info.ts';
import { NO_LABELS_FILE } from '../../node/headless/empty-labels.ts';

export const NO_LABELS_TABLE: TableInfo = { name: LABELS_TABLE, file: NO_LABELS_FILE, rows: 0, columns: LABEL_TABLE_COLUMNS.map((c) => ({ name: c.name, type: c.type })) };

export function noLabelsIPC(): Uint8Array {
	return emptyTableIPC(LABEL_TABLE_COLUMNS);
}

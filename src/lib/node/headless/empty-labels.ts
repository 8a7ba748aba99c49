// Before the first human label there is no labels file: the headless engine gets the labels
// table anyway, with its columns and no rows (as the web server serves it), so a notebook that
// reads it runs and finds nothing instead of failing on a missing table.
import { emptyTableIPC } from '../../arrow/empty-table.ts';
import { LABEL_TABLE_COLUMNS, LABELS_TABLE } from '../../core/labels/label.ts';
import type { HeadlessEngine } from './engine.ts';
import type { TableLoad } from './load-tables.ts';

/** What the empty labels table names as its file. */
export const NO_LABELS_FILE = 'labels/labels.jsonl (no label given yet)';

/** Loads the empty labels table unless the data folder has one (a broken labels file stays broken); adds it to `tables`. */
export function loadEmptyLabels(engine: Pick<HeadlessEngine, 'loadArrowTable'>, tables: TableLoad[]): void {
	if (tables.some((t) => t.name === LABELS_TABLE)) return;
	engine.loadArrowTable(LABELS_TABLE, emptyTableIPC(LABEL_TABLE_COLUMNS));
	tables.push({ name: LABELS_TABLE, file: NO_LABELS_FILE, rows: 0 });
}

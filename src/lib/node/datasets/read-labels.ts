// The data folder's label files (labels/labels.jsonl, labels/label_history.jsonl) → the `labels`
// and `label_history` tables, read with the checks /label applies (core/labels/label-file.ts),
// never guessed as a generic JSONL file: the columns keep their types (vulnerable, other_cwe,
// skipped BOOLEAN) whatever a line says, and a line that is not a valid label is left out with a
// warning naming the file, line and field instead of turning a column into text.
import type { Data, Table } from 'apache-arrow';
import { BoolColumnBuilder, Utf8ColumnBuilder } from '../../arrow/column-builders.ts';
import { LABEL_FILES, readLabelLines } from '../../core/labels/label-file.ts';
import { LABEL_TABLE_COLUMNS, type Label } from '../../core/labels/label.ts';
import { tableFromColumns } from './make-table.ts';
import { DataFileError } from './table-info.ts';
import { bomLength, firstInvalidUtf8Line } from './utf8-check.ts';

export function isLabelFile(relativePath: string): boolean {
	return LABEL_FILES.includes(relativePath);
}

export function readLabelsTable(bytes: Uint8Array, file: string): { table: Table; warnings: string[] } {
	const badLine = firstInvalidUtf8Line(bytes);
	if (badLine !== undefined) throw new DataFileError(`${file} line ${badLine}: not valid UTF-8`);
	const { labels, warnings } = readLabelLines(new TextDecoder().decode(bytes.subarray(bomLength(bytes))), file);
	const rows = labels.length;
	const data: Data[] = LABEL_TABLE_COLUMNS.map(({ name, type }) => {
		const value = (label: Label) => label[name] ?? null;
		if (type === 'Bool') {
			const builder = new BoolColumnBuilder(rows);
			labels.forEach((label, row) => {
				const v = value(label);
				if (v === null) builder.setNull(row);
				else builder.set(row, v === true);
			});
			return builder.finish();
		}
		const builder = new Utf8ColumnBuilder(rows);
		for (const label of labels) {
			const v = value(label);
			if (v === null) builder.appendNull();
			else builder.appendString(String(v));
		}
		return builder.finish();
	});
	return { table: tableFromColumns(LABEL_TABLE_COLUMNS.map((c) => c.name), data, rows), warnings };
}

// A result table (Arrow, from the SQL engine) → columns and the first rows as JSON objects, for
// the headless run's output. Reads column by column; never materialises more than `maxRows` rows.
import type { ResultTable } from '../../notebook/executor.ts';
import { toJsonValue, type ArrowTypeLike, type JsonValue } from './json-values.ts';

export interface JsonColumn {
	name: string;
	/** Arrow type as printed by apache-arrow ("Float64", "Utf8", "Decimal[10e+2]", …), as in the data folder's TableInfo. */
	type: string;
}

export interface JsonRows {
	columns: JsonColumn[];
	rows: Record<string, JsonValue>[];
	/** True when the table has more rows than were kept. */
	truncated: boolean;
}

export function tableToJson(table: ResultTable, maxRows: number): JsonRows {
	const fields = table.schema.fields;
	const kept = Math.min(table.numRows, Math.max(0, maxRows));
	const rows: Record<string, JsonValue>[] = Array.from({ length: kept }, () => ({}));
	fields.forEach((field, index) => {
		// getChild by name returns the first of duplicate names; DuckDB allows `SELECT 1 AS a, 2 AS a`.
		const column = (table as { getChildAt?(i: number): ReturnType<ResultTable['getChild']> }).getChildAt?.(index) ?? table.getChild(field.name);
		const type = field.type as ArrowTypeLike;
		for (let row = 0; row < kept; row++) rows[row][field.name] = toJsonValue(column?.get(row), type);
	});
	return {
		columns: fields.map((f) => ({ name: f.name, type: String(f.type) })),
		rows,
		truncated: table.numRows > kept
	};
}

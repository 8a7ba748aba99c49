import type { Table } from 'apache-arrow';

/** A column as plain JS values (null for nulls), for comparing with expected literals. */
export function columnValues(table: Table, name: string): unknown[] {
	const vector = table.getChild(name);
	if (!vector) throw new Error(`no column ${name}; have ${table.schema.fields.map((f) => f.name).join(', ')}`);
	return [...vector];
}

export function columnTypes(table: Table): Record<string, string> {
	return Object.fromEntries(table.schema.fields.map((field) => [field.name, String(field.type)]));
}

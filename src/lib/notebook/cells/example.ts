// A new cell's starting point: a working example wired to the table above it. The workbench finds
// the nearest cell above that yields a table (its id and result columns: `Upstream`); each kind's
// `example` turns that into a body (and a from=) that runs at once.

/** The nearest table-yielding cell above a new cell: its id and its result's columns (name, Arrow type text). */
export interface Upstream {
	id: string;
	columns: { name: string; type: string }[];
}

/** What else a new cell's example may use: the models the project's config lists ("endpoint/model", in order). */
export interface ExampleContext {
	models: readonly string[];
}

/** A new cell's body, and the from= for its fence line when it reads a table. */
export interface CellExample {
	source: string;
	from?: string;
}

const NUMERIC = /^(u?int|float|decimal|double|bigint|integer|smallint|tinyint|hugeint|real)/i;

/** Whether a column's Arrow type text ("Float64", "Int32", "Decimal[10e2]", …) is a number. */
export function isNumericType(type: string): boolean {
	return NUMERIC.test(type.trim());
}

/** The upstream's numeric and other columns, in order. */
export function splitColumns(up: Upstream): { numeric: string[]; other: string[] } {
	const numeric = up.columns.filter((c) => isNumericType(c.type)).map((c) => c.name);
	const other = up.columns.filter((c) => !isNumericType(c.type)).map((c) => c.name);
	return { numeric, other };
}

// Observable Plot reads Arrow tables column by column, but DuckDB returns BIGINT (COUNT, SUM of
// integers) as BigInt64 and DECIMAL as scaled integers, which Plot's scales cannot use. This
// wraps a result so those columns read as Float64Arrays — still columnar, no row objects.
import type { ResultTable } from '../../notebook/executor.ts';

type Column = NonNullable<ReturnType<ResultTable['getChild']>> & { type?: { typeId?: number; scale?: number } };

const ARROW_INT = 2;
const ARROW_DECIMAL = 7;

function numericColumn(column: Column): Float64Array | null {
	const typeId = column.type?.typeId;
	const values = column.toArray();
	if (typeId === ARROW_INT && (values instanceof BigInt64Array || values instanceof BigUint64Array)) {
		// toArray() gives the raw buffer: a NULL (e.g. no n on a paper row) must be NaN, not whatever it holds.
		const out = Float64Array.from(values as BigInt64Array, Number);
		if ((column as unknown as { nullCount?: number }).nullCount) for (let i = 0; i < out.length; i++) if (column.get(i) === null) out[i] = NaN;
		return out;
	}
	if (typeId === ARROW_DECIMAL) {
		const length = (column as unknown as { length: number }).length;
		const out = new Float64Array(length);
		for (let i = 0; i < length; i++) {
			const v = column.get(i);
			out[i] = v === null ? NaN : Number(String(v)) / 10 ** (column.type?.scale ?? 0);
		}
		return out;
	}
	return null;
}

export function plottable(
	table: ResultTable
): ResultTable & { length: number; get(index: number): unknown; at(index: number): unknown; toArray(): unknown[] } {
	const converted = new Map<string, unknown>();
	return {
		numRows: table.numRows,
		// A constant channel ("x": 50 on a ruleX) is Array.from(data, () => 50) in Plot: without a
		// length that is [] and the mark draws nothing. The length alone gives one value per row.
		length: table.numRows,
		schema: table.schema,
		getChild(name: string) {
			if (!converted.has(name)) {
				const column = table.getChild(name) as Column | null;
				const numbers = column ? numericColumn(column) : null;
				converted.set(name, numbers ? { type: { typeId: 3 }, nullCount: 0, get: (i: number) => numbers[i], toArray: () => numbers } : column);
			}
			return converted.get(name) as ReturnType<ResultTable['getChild']>;
		},
		// Plot reads channels through getChild; row proxies are only needed by a few options
		// (e.g. a custom title) and by the pointer, which asks for the row under it with get(i):
		// delegate both to Arrow's lazy rows.
		get(index: number) {
			return (table as unknown as { get(i: number): unknown }).get(index);
		},
		// Group and bin transforms take the rows of each group with at(i) (Plot's take()).
		at(index: number) {
			return (table as unknown as { get(i: number): unknown }).get(index < 0 ? table.numRows + index : index);
		},
		toArray() {
			return (table as unknown as { toArray(): unknown[] }).toArray();
		}
	};
}

// The `stats` cell kind: correlations with bootstrap confidence intervals over a view.
//
// Why a cell kind and not SQL macros or a DuckDB table function: the estimates and intervals come
// from the same code as the core metrics (core/stats/bootstrap.ts), so a notebook and the CLI's
// reports can never disagree; and its seeded bootstrap is plain TypeScript, so a (data, seed)
// pair gives bit-identical intervals in the browser and in the headless CLI. A SQL macro version
// of Kendall's tau-b and a seeded resampler would be a second implementation in another language,
// and DuckDB-WASM cannot load our own extensions offline.
//
// Spec (JSON body): { "method": "spearman"|"kendall"|"pearson", "columns": ["a", "b", …],
//                     "resamples"?: 2000, "seed"?: 1, "level"?: 0.95 }
// Output: one row per ordered pair (x, y), diagonal included, in column order.
import { correlationCI, type CorrelationMethod } from '../core/stats/bootstrap.ts';
import { parseJson, isJsonObject } from './json-positions.ts';
import type { SpecError } from './plot-spec.ts';

export interface StatsSpec {
	method: CorrelationMethod;
	columns: string[];
	resamples: number;
	seed: number;
	level: number;
}

const METHODS: readonly CorrelationMethod[] = ['spearman', 'kendall', 'pearson'];
const KEYS = ['method', 'columns', 'resamples', 'seed', 'level'];

export function parseStatsSpec(source: string): { spec: StatsSpec | null; errors: SpecError[] } {
	const parsed = parseJson(source);
	if (!parsed.ok) {
		const { message, line, column } = parsed.error;
		return { spec: null, errors: [{ message: `invalid JSON at line ${line}, column ${column}: ${message}`, line, column }] };
	}
	const errors: SpecError[] = [];
	const at = (path: string, message: string) => errors.push({ message, ...parsed.positions.get(path) });
	const v = parsed.value;
	if (!isJsonObject(v)) {
		at('', 'a stats spec is a JSON object: {"method": "spearman", "columns": ["a", "b"]}');
		return { spec: null, errors };
	}
	for (const key of Object.keys(v)) if (!KEYS.includes(key)) at(key, `unknown field "${key}" (fields: ${KEYS.join(', ')})`);
	if (typeof v.method !== 'string' || !(METHODS as readonly string[]).includes(v.method)) {
		at(v.method === undefined ? '' : 'method', `"method" must be one of ${METHODS.join(', ')}`);
	}
	const columns = v.columns;
	if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c !== '')) {
		at(columns === undefined ? '' : 'columns', '"columns" must be a non-empty array of column names');
	} else if (new Set(columns).size !== columns.length) {
		at('columns', '"columns" lists a column twice');
	}
	const resamples = v.resamples ?? 2000;
	if (typeof resamples !== 'number' || !Number.isInteger(resamples) || resamples < 1 || resamples > 1_000_000) {
		at('resamples', '"resamples" must be an integer from 1 to 1000000');
	}
	const seed = v.seed ?? 1;
	if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) at('seed', '"seed" must be an integer');
	const level = v.level ?? 0.95;
	if (typeof level !== 'number' || !(level > 0 && level < 1)) at('level', '"level" must be strictly between 0 and 1, e.g. 0.95');
	if (errors.length) return { spec: null, errors };
	return {
		spec: { method: v.method as CorrelationMethod, columns: columns as string[], resamples: resamples as number, seed: seed as number, level: level as number },
		errors
	};
}

/** The structural bit of a result table this module reads. */
export interface ColumnSource {
	numRows: number;
	schema: { fields: { name: string; type: unknown }[] };
	getChild(name: string): { get(i: number): unknown } | null;
}

/** A column as numbers, NaN for missing (null, undefined, NaN). Strings are an error naming the row. */
export function numericColumn(table: ColumnSource, name: string): number[] {
	const field = table.schema.fields.find((f) => f.name === name);
	const column = table.getChild(name);
	if (!field || !column) {
		throw new Error(`no column "${name}" — columns: ${table.schema.fields.map((f) => f.name).join(', ')}`);
	}
	// DuckDB DECIMAL arrives as a scaled integer; Arrow type id 7 carries the scale.
	const type = field.type as { typeId?: number; scale?: number } | null;
	const scale = type?.typeId === 7 ? 10 ** (type.scale ?? 0) : 1;
	const out = new Array<number>(table.numRows);
	for (let i = 0; i < table.numRows; i++) {
		const raw = column.get(i);
		if (raw === null || raw === undefined) out[i] = NaN;
		else if (typeof raw === 'number') out[i] = raw / scale;
		else if (typeof raw === 'bigint') out[i] = Number(raw) / scale;
		else if (typeof raw === 'boolean') out[i] = raw ? 1 : 0;
		else if (scale !== 1 && typeof raw === 'object') out[i] = Number(String(raw)) / scale;
		else throw new Error(`column "${name}" is not numeric: row ${i + 1} holds ${JSON.stringify(String(raw))}`);
	}
	return out;
}

export type StatsColumns = {
	x: string[];
	y: string[];
	method: string[];
	estimate: (number | null)[];
	ci_low: (number | null)[];
	ci_high: (number | null)[];
	n: number[];
	rows_dropped: number[];
	resamples: number[];
	resamples_dropped: number[];
	seed: number[];
	level: number[];
};

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * All ordered pairs of the spec's columns. Rows with a missing value in either column of a pair
 * are dropped for that pair (rows_dropped). A pair left with fewer than 2 rows gets null
 * estimates. (x, y) and (y, x) are computed once: the statistic is symmetric and the resampled
 * indices depend only on (n, seed), so the mirrored call would give the same numbers.
 */
export function computeStats(table: ColumnSource, spec: StatsSpec): StatsColumns {
	const data = spec.columns.map((name) => numericColumn(table, name));
	const out: StatsColumns = { x: [], y: [], method: [], estimate: [], ci_low: [], ci_high: [], n: [], rows_dropped: [], resamples: [], resamples_dropped: [], seed: [], level: [] };
	const cache = new Map<string, { estimate: number | null; low: number | null; high: number | null; n: number; dropped: number; resamplesDropped: number }>();
	const k = spec.columns.length;
	for (let a = 0; a < k; a++) {
		for (let b = 0; b < k; b++) {
			const key = a <= b ? `${a},${b}` : `${b},${a}`;
			let r = cache.get(key);
			if (!r) {
				const xs: number[] = [];
				const ys: number[] = [];
				for (let i = 0; i < table.numRows; i++) {
					if (Number.isNaN(data[a][i]) || Number.isNaN(data[b][i])) continue;
					xs.push(data[a][i]);
					ys.push(data[b][i]);
				}
				const dropped = table.numRows - xs.length;
				if (xs.length < 2) {
					r = { estimate: null, low: null, high: null, n: xs.length, dropped, resamplesDropped: 0 };
				} else {
					const ci = correlationCI(xs, ys, spec.method, { resamples: spec.resamples, seed: spec.seed, level: spec.level });
					r = { estimate: finiteOrNull(ci.estimate), low: finiteOrNull(ci.low), high: finiteOrNull(ci.high), n: ci.n, dropped, resamplesDropped: ci.dropped };
				}
				cache.set(key, r);
			}
			out.x.push(spec.columns[a]);
			out.y.push(spec.columns[b]);
			out.method.push(spec.method);
			out.estimate.push(r.estimate);
			out.ci_low.push(r.low);
			out.ci_high.push(r.high);
			out.n.push(r.n);
			out.rows_dropped.push(r.dropped);
			out.resamples.push(spec.resamples);
			out.resamples_dropped.push(r.resamplesDropped);
			out.seed.push(spec.seed);
			out.level.push(spec.level);
		}
	}
	return out;
}

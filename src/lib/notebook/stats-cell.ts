// The `stats` cell kind: correlations with bootstrap confidence intervals over a view.
//
// Why a cell kind and not SQL macros or a DuckDB table function: the estimates and intervals come
// from the same code as the core metrics (core/stats/bootstrap.ts), so a notebook and the CLI's
// reports can never disagree; and its seeded bootstrap is plain TypeScript, so a (data, seed)
// pair gives bit-identical intervals in the browser and in the headless CLI. A SQL macro version
// of Kendall's tau-b and a seeded resampler would be a second implementation in another language,
// and DuckDB-WASM cannot load our own extensions offline.
//
// Spec (JSON body): { "method": "spearman"|"kendall"|"pearson"|"kappa"|"agreement", "columns": ["a", "b", …],
//                     "resamples"?: 2000, "seed"?: 1, "level"?: 0.95 }
// Output: one row per ordered pair (x, y), diagonal included, in column order. `ci_note` says
// why a row has no estimate or no interval, or why its interval needs care ('' when neither):
// an interval is withheld (null) when more than 10% of its resamples had no correlation (see
// core/stats/bootstrap.ts), so a plotted interval never silently excludes its estimate.
//
// Grouped form: { "method": …, "x": "a", "y": "b", "by": "judge" } — one row per value of `by`
// (in order of first appearance), correlating x with y within that group, with a `group` column.
// For comparisons whose members are data rather than columns: each judge's ranking against the
// reference, each model's, … (`by` may be left out for a single pair).
//
// Agreement between two raters (two judges' verdicts, a judge and a label): "kappa" is Cohen's
// κ (core/stats/agreement.ts; values compared as they are: true/false, 1/0) and "agreement" the
// share of rows where both say the same (0–1), each with its seeded percentile bootstrap
// interval and n, the rows where both columns have a value.
import { bootstrap, correlationCI, type CorrelationMethod } from '../core/stats/bootstrap.ts';
import { cohenKappa } from '../core/stats/agreement.ts';
import { parseSpecObject } from './spec-object.ts';
import type { SpecError } from './plot-spec.ts';

export type StatsMethod = CorrelationMethod | 'kappa' | 'agreement';

export interface StatsSpec {
	method: StatsMethod;
	/** The matrix form: every ordered pair of these columns. */
	columns?: string[];
	/** The grouped form: x against y, within each value of `by` (or over all rows). */
	x?: string;
	y?: string;
	by?: string;
	resamples: number;
	seed: number;
	level: number;
}

export const STATS_METHODS: readonly StatsMethod[] = ['spearman', 'kendall', 'pearson', 'kappa', 'agreement'];
const METHODS = STATS_METHODS;
const KEYS = ['method', 'columns', 'x', 'y', 'by', 'resamples', 'seed', 'level'];

export function parseStatsSpec(source: string): { spec: StatsSpec | null; errors: SpecError[] } {
	const { value: v, errors, at } = parseSpecObject(source, 'stats', '{"method": "spearman", "columns": ["a", "b"]}', KEYS);
	if (!v) return { spec: null, errors };
	if (v.method === undefined) at('', `"method" is missing: add "method": one of ${METHODS.join(', ')}`);
	else if (typeof v.method !== 'string' || !(METHODS as readonly string[]).includes(v.method)) {
		at('method', `"method" must be one of ${METHODS.join(', ')}`);
	}
	const columns = v.columns;
	const grouped = v.x !== undefined || v.y !== undefined || v.by !== undefined;
	if (grouped) {
		if (columns !== undefined) at('columns', 'use either "columns" (a matrix) or "x"/"y"/"by" (per group), not both');
		for (const key of ['x', 'y'] as const) {
			if (typeof v[key] !== 'string' || v[key] === '') at(v[key] === undefined ? '' : key, `"${key}" must be a column name`);
		}
		if (v.by !== undefined && (typeof v.by !== 'string' || v.by === '')) at('by', '"by" must be a column name');
	} else if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string' && c !== '')) {
		at(columns === undefined ? '' : 'columns', '"columns" must be a non-empty array of column names (or give "x", "y" and "by")');
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
		spec: {
			method: v.method as StatsMethod,
			...(grouped ? { x: v.x as string, y: v.y as string, ...(v.by === undefined ? {} : { by: v.by as string }) } : { columns: columns as string[] }),
			resamples: resamples as number,
			seed: seed as number,
			level: level as number
		},
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
	ci_note: string[];
	seed: number[];
	level: number[];
};

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

interface PairResult {
	estimate: number | null;
	low: number | null;
	high: number | null;
	n: number;
	dropped: number;
	resamplesDropped: number;
	note: string;
}

/** One correlation over the rows (of `rows`, default all) where both values are present. */
function pairCI(xData: number[], yData: number[], spec: StatsSpec, rows?: number[], names: [string, string] = ['x', 'y']): PairResult {
	const xs: number[] = [];
	const ys: number[] = [];
	const total = rows ? rows.length : xData.length;
	for (let j = 0; j < total; j++) {
		const i = rows ? rows[j] : j;
		if (Number.isNaN(xData[i]) || Number.isNaN(yData[i])) continue;
		xs.push(xData[i]);
		ys.push(yData[i]);
	}
	const dropped = total - xs.length;
	if (xs.length < 2) {
		return { estimate: null, low: null, high: null, n: xs.length, dropped, resamplesDropped: 0, note: `no estimate: ${xs.length} row(s) with both values, 2 needed` };
	}
	const oneAnswer = spec.method === 'kappa' ? oneAnswerNote(xs, ys, names) : null;
	if (oneAnswer) return { estimate: null, low: null, high: null, n: xs.length, dropped, resamplesDropped: 0, note: oneAnswer };
	const options = { resamples: spec.resamples, seed: spec.seed, level: spec.level };
	const ci = spec.method === 'kappa' || spec.method === 'agreement' ? { ...agreementCI(xs, ys, spec.method, options), n: xs.length } : correlationCI(xs, ys, spec.method, options);
	const estimate = finiteOrNull(ci.estimate);
	const constant = spec.method === 'kappa' ? 'both columns hold one and the same value throughout (κ undefined)' : 'a column is constant in these rows (no correlation)';
	const note = estimate === null ? `no estimate: ${constant}` : (ci.note ?? '');
	const [low, high] = estimate === null ? [null, null] : [finiteOrNull(ci.low), finiteOrNull(ci.high)];
	return { estimate, low, high, n: ci.n, dropped, resamplesDropped: ci.dropped, note };
}

/**
 * κ of a rater that gave one answer on every row is 0 (or undefined) whatever the other says —
 * it would read as a measurement of no agreement — so there is none, and the note says which
 * column (figure5-evaluators' kappa_note says the same). Null when both columns vary, and when
 * both hold one and the same value (κ is then undefined: pairCI's own note).
 */
function oneAnswerNote(xs: number[], ys: number[], [xName, yName]: [string, string]): string | null {
	const only = (values: number[]) => (values.every((v) => v === values[0]) ? String(values[0]) : null);
	const x = only(xs);
	const y = only(ys);
	if (x !== null && y !== null && x === y) return null;
	if (x !== null) return `no κ: "${xName}" gave one answer on every row (${x})`;
	if (y !== null) return `no κ: "${yName}" gave one answer on every row (${y})`;
	return null;
}

/** Cohen's κ or the share of equal pairs, with the same seeded percentile bootstrap as the correlations. */
function agreementCI(xs: number[], ys: number[], method: 'kappa' | 'agreement', options: { resamples: number; seed: number; level: number }) {
	// Categories as text: 1 and 1.0 are one category, true arrives as 1.
	const xText = xs.map(String);
	const yText = ys.map(String);
	const a = new Array<string>(xs.length);
	const b = new Array<string>(xs.length);
	const statistic = (indices: Int32Array): number => {
		for (let i = 0; i < indices.length; i++) {
			a[i] = xText[indices[i]];
			b[i] = yText[indices[i]];
		}
		if (method === 'kappa') return cohenKappa(a, b);
		let same = 0;
		for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
		return same / a.length;
	};
	return bootstrap(xs.length, statistic, options);
}

function emptyColumns(): StatsColumns {
	return { x: [], y: [], method: [], estimate: [], ci_low: [], ci_high: [], n: [], rows_dropped: [], resamples: [], resamples_dropped: [], ci_note: [], seed: [], level: [] };
}

function pushRow(out: StatsColumns, spec: StatsSpec, x: string, y: string, r: PairResult): void {
	out.x.push(x);
	out.y.push(y);
	out.method.push(spec.method);
	out.estimate.push(r.estimate);
	out.ci_low.push(r.low);
	out.ci_high.push(r.high);
	out.n.push(r.n);
	out.rows_dropped.push(r.dropped);
	out.resamples.push(spec.resamples);
	out.resamples_dropped.push(r.resamplesDropped);
	out.ci_note.push(r.note);
	out.seed.push(spec.seed);
	out.level.push(spec.level);
}

/**
 * The matrix form: all ordered pairs of the spec's columns. Rows with a missing value in either
 * column of a pair are dropped for that pair (rows_dropped). A pair left with fewer than 2 rows
 * gets null estimates. (x, y) and (y, x) are computed once: the statistic is symmetric and the
 * resampled indices depend only on (n, seed), so the mirrored call would give the same numbers.
 * The grouped form: see the header.
 */
export function computeStats(table: ColumnSource, spec: StatsSpec): StatsColumns | (StatsColumns & { group: (string | null)[] }) {
	if (!spec.columns) return computeGrouped(table, spec);
	const data = spec.columns.map((name) => numericColumn(table, name));
	const out = emptyColumns();
	const cache = new Map<string, PairResult>();
	const k = spec.columns.length;
	for (let a = 0; a < k; a++) {
		for (let b = 0; b < k; b++) {
			const key = a <= b ? `${a},${b}` : `${b},${a}`;
			let r = cache.get(key);
			if (!r) {
				r = pairCI(data[a], data[b], spec, undefined, [spec.columns[a], spec.columns[b]]);
				cache.set(key, r);
			}
			pushRow(out, spec, spec.columns[a], spec.columns[b], r);
		}
	}
	return out;
}

function computeGrouped(table: ColumnSource, spec: StatsSpec): StatsColumns & { group: (string | null)[] } {
	const x = spec.x!;
	const y = spec.y!;
	const xData = numericColumn(table, x);
	const yData = numericColumn(table, y);
	const groups = new Map<string | null, number[]>();
	if (spec.by) {
		const byColumn = table.getChild(spec.by);
		if (!byColumn) throw new Error(`no column "${spec.by}" — columns: ${table.schema.fields.map((f) => f.name).join(', ')}`);
		for (let i = 0; i < table.numRows; i++) {
			const raw = byColumn.get(i);
			const key = raw === null || raw === undefined ? null : String(raw);
			const rows = groups.get(key);
			if (rows) rows.push(i);
			else groups.set(key, [i]);
		}
	} else {
		groups.set(null, Array.from({ length: table.numRows }, (_, i) => i));
	}
	const out = { ...emptyColumns(), group: [] as (string | null)[] };
	for (const [group, rows] of groups) {
		out.group.push(group);
		pushRow(out, spec, x, y, pairCI(xData, yData, spec, rows, [x, y]));
	}
	return out;
}

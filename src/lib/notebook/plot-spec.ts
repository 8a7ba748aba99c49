// Declarative plot cells: a JSON spec of Observable Plot options, validated here so the browser
// can compile it into Plot calls by name (workbench/plot/compile.ts) without evaluating anything.
//
//   { "marks": [ { "type": "dot", "data"?: "view" | [literals], "x": "col", "fill": "steelblue", "tip": true,
//                  "transform"?: { "name": "groupX", "outputs"?: {"y": "count"}, "options"?: {…} } } ],
//     "x": {…scale options}, "color": {…}, "width": 640, "title": "…" }
//
// Two steps: parsePlotSpec checks the shape (JSON syntax with line/column, whitelisted names, JSON
// values only); checkPlotColumns, at execution time, checks channel column names against the
// data each mark reads. Mark `data` defaults to the cell's `from=`; an array of literals is inline
// data for reference marks, as in Plot's `ruleX([0])`.
import { isJsonObject, type JsonValue, type JsonPosition } from '../core/json/parse.ts';
import { parseSpecObject } from './spec-object.ts';
import {
	CHANNELS,
	DECORATION_MARKS,
	MARK_CONSTANTS,
	MARK_TYPES,
	SCALES,
	TOP_LEVEL_OPTIONS,
	TRANSFORMS,
	isConstantChannelValue,
	isReducer,
	plotSafetyErrors
} from './plot-vocabulary.ts';

export interface TransformSpec {
	name: string;
	outputs?: Record<string, JsonValue>;
	options?: Record<string, JsonValue>;
}

export interface MarkSpec {
	type: string;
	data?: string | (number | string)[];
	transform?: TransformSpec;
	[option: string]: JsonValue | TransformSpec | undefined;
}

export interface PlotSpec {
	marks: MarkSpec[];
	[option: string]: JsonValue | MarkSpec[];
}

export interface SpecError {
	message: string;
	/** 1-based line/column within the cell source, when known. */
	line?: number;
	column?: number;
}

export interface ParsedPlotSpec {
	spec: PlotSpec | null;
	errors: SpecError[];
	/** Where each value starts ('marks/0/x' → line, column), for later errors. */
	positions: Map<string, JsonPosition>;
}

const list = (names: Iterable<string>) => [...names].join(', ');

export function parsePlotSpec(source: string): ParsedPlotSpec {
	const { value, errors, positions, at } = parseSpecObject(source, 'plot', '{"marks": [...]}');
	if (!value) return { spec: null, errors, positions };
	for (const [key, option] of Object.entries(value)) {
		if (key === 'marks') continue;
		if (SCALES.has(key)) {
			if (!isJsonObject(option) && option !== null) at(key, `"${key}" holds scale options and must be an object, e.g. {"label": "…"}`);
		} else if (!TOP_LEVEL_OPTIONS.has(key)) {
			at(key, `unknown top-level option "${key}" (allowed: marks, ${list(SCALES)}, ${list(TOP_LEVEL_OPTIONS)})`);
		} else if (key === 'style' || key === 'projection') {
			if (isJsonObject(option) ? false : typeof option !== 'string' && option !== null) at(key, `"${key}" must be a string or an object`);
		} else if (typeof option === 'object' && option !== null) {
			at(key, `"${key}" must be a single value, not ${Array.isArray(option) ? 'an array' : 'an object'}`);
		}
	}
	if (!Array.isArray(value.marks)) {
		at(value.marks === undefined ? '' : 'marks', '"marks" must be an array of marks, e.g. [{"type": "dot", "x": "a", "y": "b"}]');
		return { spec: null, errors, positions };
	}
	value.marks.forEach((mark, k) => checkMark(mark, `marks/${k}`, `mark ${k + 1}`, at));
	for (const unsafe of plotSafetyErrors(value)) at(unsafe.path, unsafe.message);
	return { spec: errors.length ? null : (value as unknown as PlotSpec), errors, positions };
}

function checkMark(mark: JsonValue, path: string, label: string, at: (path: string, message: string) => void): void {
	if (!isJsonObject(mark)) return at(path, `${label} must be an object with a "type"`);
	if (typeof mark.type !== 'string') return at(path, `${label} has no "type" (e.g. "dot", "barY", "line")`);
	if (!MARK_TYPES.has(mark.type)) {
		return at(`${path}/type`, `${label}: unknown mark type "${mark.type}" (known: ${list(MARK_TYPES)})`);
	}
	label = `${label} (${mark.type})`;
	for (const [key, option] of Object.entries(mark)) {
		const where = `${path}/${key}`;
		if (key === 'type') continue;
		if (key === 'data') {
			const inline = Array.isArray(option) && option.every((v) => typeof v === 'number' || typeof v === 'string');
			if (!inline && (typeof option !== 'string' || option === '')) {
				at(where, `${label}: "data" must be the name of a view or table, or an array of numbers or strings like [0]`);
			}
		} else if (key === 'transform') {
			checkTransform(option, where, label, at);
		} else if (key === 'repel') {
			if (!['text', 'textX', 'textY'].includes(mark.type as string)) at(where, `${label}: "repel" places labels and is for text marks only`);
			else if (typeof option !== 'boolean') at(where, `${label}: "repel" must be true or false`);
		} else if (CHANNELS.has(key)) {
			checkChannelShape(option, where, `${label}: channel "${key}"`, at);
		} else if (!MARK_CONSTANTS.has(key)) {
			at(where, `${label}: unknown option "${key}" (channels: ${list(CHANNELS)}; other options: ${list(MARK_CONSTANTS)})`);
		}
	}
}

function checkChannelShape(value: JsonValue, where: string, label: string, at: (path: string, message: string) => void): void {
	if (Array.isArray(value)) at(where, `${label}: a channel is a column name or a constant, not an array`);
	else if (isJsonObject(value) && typeof value.value !== 'string') at(where, `${label}: a channel object needs "value": "column"`);
}

function checkTransform(value: JsonValue, where: string, label: string, at: (path: string, message: string) => void): void {
	if (!isJsonObject(value) || typeof value.name !== 'string') {
		return at(where, `${label}: "transform" must be {"name": "groupX", "outputs": {...}, "options": {...}}`);
	}
	const arity = TRANSFORMS[value.name];
	if (!Object.prototype.hasOwnProperty.call(TRANSFORMS, value.name)) {
		return at(`${where}/name`, `${label}: unknown transform "${value.name}" (known: ${list(Object.keys(TRANSFORMS))})`);
	}
	for (const key of Object.keys(value)) {
		if (!['name', 'outputs', 'options'].includes(key)) at(`${where}/${key}`, `${label}: transform has no "${key}" (name, outputs, options)`);
	}
	if (value.options !== undefined && !isJsonObject(value.options)) at(`${where}/options`, `${label}: transform "options" must be an object`);
	if (value.outputs === undefined) return;
	if (arity === 'options') {
		return at(`${where}/outputs`, `${label}: ${value.name} takes "options" only (no "outputs")`);
	}
	if (!isJsonObject(value.outputs)) return at(`${where}/outputs`, `${label}: transform "outputs" must be an object like {"y": "count"}`);
	if (value.name === 'map') return; // map outputs name map methods (cumsum, rank, …), not reducers
	for (const [channel, reducer] of Object.entries(value.outputs)) {
		if (typeof reducer === 'string' ? !isReducer(reducer) : !isJsonObject(reducer)) {
			at(`${where}/outputs/${channel}`, `${label}: output "${channel}": unknown reducer ${JSON.stringify(reducer)}`);
		}
	}
}

/** Names of the tables a validated spec reads: each mark's data, or `from` for marks without one. */
export function plotDataNames(spec: PlotSpec, from: string | null): string[] {
	const names = new Set<string>();
	for (const mark of spec.marks) {
		if (typeof mark.data === 'string') names.add(mark.data);
		else if (Array.isArray(mark.data)) continue;
		else if (from && !DECORATION_MARKS.has(mark.type)) names.add(from);
	}
	return [...names];
}

/** Column names each channel of a mark reads (the mark's own channels and its transform options). */
function channelColumns(mark: MarkSpec): { path: string; channel: string; column: string }[] {
	const out: { path: string; channel: string; column: string }[] = [];
	const scan = (options: Record<string, unknown>, prefix: string) => {
		for (const [channel, value] of Object.entries(options)) {
			if (!CHANNELS.has(channel)) continue;
			const column = typeof value === 'string' ? value : isJsonObject(value as JsonValue) ? (value as { value?: unknown }).value : undefined;
			if (typeof column === 'string' && !isConstantChannelValue(channel, column)) out.push({ path: `${prefix}${channel}`, channel, column });
		}
	};
	scan(mark, '');
	if (mark.transform?.options) scan(mark.transform.options, 'transform/options/');
	return out;
}

/**
 * Check channel column names against the data, at execution time. `columnsOf(name)` gives the
 * columns of a view or table (undefined when there is none).
 */
export function checkPlotColumns(
	parsed: { spec: PlotSpec; positions: Map<string, JsonPosition> },
	from: string | null,
	columnsOf: (name: string) => readonly string[] | undefined
): SpecError[] {
	const errors: SpecError[] = [];
	parsed.spec.marks.forEach((mark, k) => {
		if (Array.isArray(mark.data)) return; // inline literals: the channels read the values themselves
		const label = `mark ${k + 1} (${mark.type})`;
		const at = (path: string, message: string) => errors.push({ message, ...parsed.positions.get(path === '' ? `marks/${k}` : `marks/${k}/${path}`) });
		const name = mark.data ?? from;
		if (!name) {
			if (DECORATION_MARKS.has(mark.type)) return;
			// A constant without data ("x": 50) has no rows to draw over: say how to draw it once.
			const constant = Object.entries(mark).find(([key, value]) => CHANNELS.has(key) && typeof value === 'number');
			if (constant) {
				const [key, value] = constant;
				return at(key, `${label} has no data: "${key}": ${value} is a constant, drawn once per row of the data — give the mark "data": [${value}] to draw it once, or set from= on the cell`);
			}
			at('', `${label} has no data: set from= on the cell or "data" on the mark`);
			return;
		}
		const columns = columnsOf(name);
		if (!columns) return at(mark.data ? 'data' : '', `${label}: no view or table named "${name}"`);
		for (const { path, channel, column } of channelColumns(mark)) {
			if (columns.includes(column)) continue;
			const near = columns.find((c) => c.toLowerCase() === column.toLowerCase());
			at(
				path,
				`${label}: channel "${channel}": no column "${column}" in ${name}` +
					(near ? ` (did you mean "${near}"? names are case-sensitive)` : '') +
					` — columns: ${columns.join(', ')}`
			);
		}
	});
	return errors;
}

// The `plot` cell kind: a declarative Observable Plot spec (../plot-spec.ts), checked against the
// columns of the data it reads (from= and each mark's "data"). It yields a figure, not a table.
import { attribute } from '../cell.ts';
import { nameKey } from '../sql-ident.ts';
import { plotDataReferences, type NameReference } from '../references.ts';
import { checkPlotColumns, parsePlotSpec, plotDataNames, type PlotSpec } from '../plot-spec.ts';
import { readTable, specErrors, type CellKindModule, type ResultTable } from './kind.ts';
import { PLOT_SCHEMA } from './schemas.ts';
import { splitColumns, type CellExample, type Upstream } from './example.ts';

/** A figure that draws from the table above: a scatter of two numbers, bars of a number by a label, or counts. */
function example(up: Upstream | null): CellExample {
	const q = JSON.stringify;
	if (!up || up.columns.length === 0) {
		return { source: '{\n  "marks": [\n    {"type": "barY", "data": [3, 1, 4, 1, 5]}\n  ]\n}' };
	}
	const { numeric, other } = splitColumns(up);
	let mark: string;
	if (numeric.length >= 2) {
		const fill = other.length ? `, "fill": ${q(other[0])}` : '';
		mark = `{"type": "dot", "x": ${q(numeric[0])}, "y": ${q(numeric[1])}${fill}, "tip": true}`;
	} else if (numeric.length === 1 && other.length >= 2) {
		// A grouped table (model, task, status, n): one bar per first key, split by the second in
		// colours, the rest summed — not every group stacked in one colour, which reads as one total.
		const mark = `{"type": "barY", "x": ${q(other[0])}, "y": ${q(numeric[0])}, "fill": ${q(other[1])}, "transform": {"name": "groupX", "outputs": {"y": "sum"}}, "tip": true}`;
		return { source: `{\n  "marks": [\n    ${mark}\n  ],\n  "color": {"legend": true}\n}`, from: up.id };
	} else if (numeric.length === 1 && other.length) {
		mark = `{"type": "barY", "x": ${q(other[0])}, "y": ${q(numeric[0])}, "tip": true}`;
	} else if (numeric.length === 1) {
		mark = `{"type": "rectY", "x": ${q(numeric[0])}, "transform": {"name": "binX", "outputs": {"y": "count"}}}`;
	} else {
		mark = `{"type": "barY", "x": ${q(other[0])}, "transform": {"name": "groupX", "outputs": {"y": "count"}}, "tip": true}`;
	}
	return { source: `{\n  "marks": [\n    ${mark}\n  ]\n}`, from: up.id };
}

/** `"data": "old"` → `"data": "new"` in a plot spec, leaving its formatting alone. */
function renameInSource(source: string, oldId: string, newId: string): string {
	return source.replace(/("data"\s*:\s*)"([A-Za-z_][A-Za-z0-9_]*)"/g, (whole, key: string, name: string) =>
		nameKey(name) === nameKey(oldId) ? `${key}"${newId}"` : whole
	);
}

export const plotCell: CellKindModule<PlotSpec> = {
	name: 'plot',
	description: 'a figure: Observable Plot marks over the view named by from= (or each mark\'s "data")',
	fenced: true,
	needsId: true,
	yieldsTable: false,
	language: 'json',
	newSource: '{}',
	example,
	readsFrom: true,
	schema: PLOT_SCHEMA,
	parse: (source) => {
		const { spec, errors } = parsePlotSpec(source);
		return { spec, errors };
	},
	references(cell) {
		const from = attribute(cell, 'from');
		const refs: NameReference[] = from ? [{ name: from, via: 'from', line: 0 }] : [];
		return [...refs, ...plotDataReferences(cell.source)];
	},
	renameInSource,
	async execute(ctx, cell) {
		const parsed = parsePlotSpec(cell.source);
		if (!parsed.spec) throw specErrors(parsed.errors, cell);
		const from = attribute(cell, 'from') ?? null;
		const data: Record<string, ResultTable> = {};
		for (const name of plotDataNames(parsed.spec, from)) data[name] = await readTable(ctx.engine, name, cell.line);
		const errors = checkPlotColumns({ spec: parsed.spec, positions: parsed.positions }, from, (name) =>
			data[name]?.schema.fields.map((f) => f.name)
		);
		if (errors.length) throw specErrors(errors, cell);
		const main = from ? data[from] : undefined;
		return { plot: { spec: parsed.spec, from, data }, ...(main ? { rowCount: main.numRows } : {}) };
	}
};

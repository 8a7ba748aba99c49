// The `stats` cell kind: correlations with bootstrap intervals over its from= view (the spec and
// the computation are in ../stats-cell.ts); the result is a table named by the cell's id.
import { attribute } from '../cell.ts';
import type { NameReference } from '../references.ts';
import { computeStats, parseStatsSpec, type StatsSpec } from '../stats-cell.ts';
import { CellError, cellIdOf, readTable, specErrors, type CellKindModule } from './kind.ts';
import { STATS_SCHEMA } from './schemas.ts';
import { splitColumns, type CellExample, type Upstream } from './example.ts';

/** Spearman correlations between the first (up to four) numeric columns of the table above. */
function example(up: Upstream | null): CellExample {
	const numeric = up ? splitColumns(up).numeric.slice(0, 4) : [];
	const columns = numeric.length >= 2 ? numeric : ['a', 'b'];
	return { source: `{"method": "spearman", "columns": [${columns.map((c) => JSON.stringify(c)).join(', ')}]}`, ...(up ? { from: up.id } : {}) };
}

export const statsCell: CellKindModule<StatsSpec> = {
	name: 'stats',
	description: 'correlations with bootstrap confidence intervals over the view named by from=; a table',
	fenced: true,
	needsId: true,
	yieldsTable: true,
	language: 'json',
	newSource: '{}',
	example,
	readsFrom: true,
	schema: STATS_SCHEMA,
	parse: parseStatsSpec,
	references(cell) {
		const from = attribute(cell, 'from');
		return from ? [{ name: from, via: 'from', line: 0 } satisfies NameReference] : [];
	},
	async execute(ctx, cell) {
		const id = cellIdOf(cell);
		const from = attribute(cell, 'from');
		if (!from) throw new CellError(`stats cell "${id}" needs from=<view> on its fence line`, cell.line);
		const { spec, errors } = parseStatsSpec(cell.source);
		if (!spec) throw specErrors(errors, cell);
		const input = await readTable(ctx.engine, from, cell.line);
		let columns;
		try {
			columns = computeStats(input, spec);
		} catch (e) {
			throw new CellError(`stats cell "${id}" over ${from}: ${e instanceof Error ? e.message : String(e)}`, cell.sourceLine);
		}
		await ctx.prepare(id, 'table');
		await ctx.engine.registerRows(id, columns as unknown as Record<string, (number | string | null)[]>);
		ctx.created(id, 'table');
		const table = await readTable(ctx.engine, id, cell.sourceLine);
		return { table, rowCount: table.numRows };
	}
};

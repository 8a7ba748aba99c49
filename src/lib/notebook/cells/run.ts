// The `run` cell kind: a model run (and optionally its judge run) described as JSON (../run-spec.ts).
// Opening a notebook never starts a run; the cell asks the host which runs its spec names and
// becomes a view named by its id over that run's generations, joined with its judge's verdicts
// when it has a judge. The run tables always exist (empty before any run), so the view does
// too, and downstream cells simply see no rows until the run starts.
import { parseRunSpec, type RunSpec } from '../run-spec.ts';
import { quoteIdent, quoteLiteral } from '../sql-ident.ts';
import { RUN_SCHEMA } from './schemas.ts';
import { CellError, cellIdOf, engineError, readTable, specErrors, type CellKindModule, type RunPlan } from './kind.ts';

/** The SQL that makes the run cell's view. */
export function runCellViewSql(id: string, plan: RunPlan): string {
	const generations = `SELECT * FROM generations WHERE run_id = ${quoteLiteral(plan.generationRunId)}`;
	const body = plan.judgeRunId
		? `SELECT g.*, v.judge, v.template, v.vulnerable, v.predicted_cwe, v.status AS verdict_status, v.error AS verdict_error, v.raw AS verdict_raw
FROM (${generations}) g
LEFT JOIN (SELECT * FROM verdicts WHERE run_id = ${quoteLiteral(plan.judgeRunId)}) v ON v.target_id = g.unit_id`
		: generations;
	return `CREATE OR REPLACE VIEW ${quoteIdent(id)} AS ${body}`;
}

export const runCell: CellKindModule<RunSpec> = {
	name: 'run',
	description: 'a model run (and its judge) on benchmark items; a view of its generations and verdicts',
	fenced: true,
	needsId: true,
	yieldsTable: true,
	language: 'json',
	newSource: '{"task": "completion", "model": "endpoint/model", "limit": 5}',
	parse: parseRunSpec,
	references: () => [],
	schema: RUN_SCHEMA,
	async execute(ctx, cell) {
		const id = cellIdOf(cell);
		const { spec, errors } = parseRunSpec(cell.source);
		if (!spec) throw specErrors(errors, cell);
		if (!ctx.runs) throw new CellError('run cells need the workbench server or the covw CLI to name their runs', cell.line);
		let plan: RunPlan;
		try {
			plan = await ctx.runs.plan(spec);
		} catch (e) {
			throw new CellError(`run cell "${id}": ${e instanceof Error ? e.message : String(e)}`, cell.sourceLine);
		}
		await ctx.prepare(id, 'view');
		try {
			await ctx.engine.exec(runCellViewSql(id, plan));
		} catch (e) {
			throw engineError(e, cell.line);
		}
		ctx.created(id, 'view');
		const table = await readTable(ctx.engine, id, cell.sourceLine);
		return { table, rowCount: table.numRows, run: { spec, plan } };
	}
};

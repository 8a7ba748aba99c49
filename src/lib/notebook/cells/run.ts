// The `run` cell kind: a model run (and optionally its judge run) described as JSON (../run-spec.ts).
// Opening a notebook never starts a run; the cell asks the host which runs its spec names and
// becomes a view named by its id over those runs' rows:
//   completion / repair / detection — the generations, joined with its judge's verdicts;
//   self-detection — the source cell's programs with the model's verdict on each (self_*) and the
//     reference judge's (reference_*): one row per program the model has judged;
//   self-repair — the repairs, joined with the verdicts of the judge of the repairs;
//   evolve — the run's candidate scenarios with every filter outcome (table vul_evol_filters).
// Self-detection and self-repair read another run cell ("from"): the graph runs it first, and
// this cell hands the host that cell's spec. The run tables always exist (empty before any run),
// so the view does too, and downstream cells simply see no rows until the run starts.
import { isSelfCorrectionSpec, parseRunSpec, sourceProblem, type RunSpec, type SelfCorrectionRunSpec } from '../run-spec.ts';
import { nameKey, quoteIdent, quoteLiteral } from '../sql-ident.ts';
import { parseJson } from '../../core/json/parse.ts';
import { RUN_SCHEMA } from './schemas.ts';
import { CellError, cellIdOf, engineError, isRunUnavailable, readTable, specErrors, type CellContext, type CellKindModule, type RunPlan } from './kind.ts';
import type { Cell } from '../cell.ts';
import type { NameReference } from '../references.ts';
import type { ExampleContext, Upstream } from './example.ts';

/** The data-folder table of every evolve run's candidates (runs/evolve/evolved-set.ts writes it). */
export const EVOLVE_FILTER_TABLE = 'vul_evol_filters';

/** Its columns (runs/evolve/evolve-run.ts FilterRow), for the empty view before any evolve run. */
const EVOLVE_COLUMNS: [string, string][] = [
	['candidate_id', 'VARCHAR'], ['run_id', 'VARCHAR'], ['seed_id', 'VARCHAR'], ['seed_scenario', 'VARCHAR'], ['strategy', 'VARCHAR'],
	['sample', 'BIGINT'], ['cwe', 'VARCHAR'], ['language', 'VARCHAR'], ['model', 'VARCHAR'], ['seed_code', 'VARCHAR'], ['scenario', 'VARCHAR'],
	['distance', 'DOUBLE'], ['seed_lines', 'BIGINT'], ['scenario_lines', 'BIGINT'],
	['answer', 'VARCHAR'], ['answer_reason', 'VARCHAR'], ['parses', 'VARCHAR'], ['parses_reason', 'VARCHAR'], ['differs', 'VARCHAR'], ['differs_reason', 'VARCHAR'],
	['realisable', 'VARCHAR'], ['realisable_reason', 'VARCHAR'], ['induces', 'VARCHAR'], ['induces_reason', 'VARCHAR'],
	['not_secure', 'VARCHAR'], ['not_secure_reason', 'VARCHAR'], ['accepted', 'BOOLEAN']
];

/** What an unplanned cell's view reads: no run has this id (run ids are [A-Za-z0-9._-]). */
const NOT_PLANNED = '(not planned)';

/** The plan's shape for a spec the host could not plan: the same columns, no rows. */
function notPlanned(spec: RunSpec): RunPlan {
	const none = NOT_PLANNED;
	if (spec.task === 'self-detection') return { generationRunId: none, judgeRunId: null, kind: 'self-detection', sourceRunId: none, referenceRunId: none };
	if (spec.task === 'self-repair') return { generationRunId: none, judgeRunId: none, kind: 'self-repair', sourceRunId: none, referenceRunId: none };
	if (spec.task === 'evolve') return { generationRunId: none, judgeRunId: null, kind: 'evolve' };
	return { generationRunId: none, judgeRunId: spec.judge ? none : null };
}

/** The evolve view's first columns: each candidate's lineage and its filter outcomes. */
const EVOLVE_LEAD = ['seed_id', 'strategy', 'sample', 'accepted', 'answer', 'differs', 'realisable', 'induces', 'not_secure'];

const runRows = (table: string, runId: string) => `SELECT * FROM ${table} WHERE run_id = ${quoteLiteral(runId)}`;

/** The SQL that makes the run cell's view; `hasEvolveTable`: whether vul_evol_filters exists yet. */
export function runCellViewSql(id: string, plan: RunPlan, hasEvolveTable = false): string {
	let body: string;
	if (plan.kind === 'evolve') {
		// The outcomes first: what survived each filter, then why, then the scenarios themselves.
		const candidates = hasEvolveTable
			? runRows(EVOLVE_FILTER_TABLE, plan.generationRunId)
			: `SELECT ${EVOLVE_COLUMNS.map(([name, type]) => `NULL::${type} AS ${name}`).join(', ')} WHERE false`;
		body = `SELECT ${EVOLVE_LEAD.join(', ')}, * EXCLUDE (${EVOLVE_LEAD.join(', ')}) FROM (${candidates}) ORDER BY seed_id, strategy, sample`;
	} else if (plan.kind === 'self-detection') {
		// The model's verdict on its own program beside the reference's, then the program and the rest.
		body = `SELECT g.item_id, g.cwe, g.language, s.vulnerable AS self_vulnerable, r.vulnerable AS reference_vulnerable,
	s.predicted_cwe AS self_predicted_cwe, s.status AS self_status, r.status AS reference_status, r.judge AS reference_judge, r.template AS reference_template,
	g.code, s.raw AS self_raw, s.error AS self_error, g.* EXCLUDE (item_id, cwe, language, code)
FROM (${runRows('generations', plan.sourceRunId!)}) g
JOIN (${runRows('verdicts', plan.generationRunId)}) s ON s.target_id = g.unit_id
LEFT JOIN (${runRows('verdicts', plan.referenceRunId!)}) r ON r.target_id = g.unit_id`;
	} else {
		const generations = runRows('generations', plan.generationRunId);
		body = plan.judgeRunId
			? `SELECT g.*, v.judge, v.template, v.vulnerable, v.predicted_cwe, v.status AS verdict_status, v.error AS verdict_error, v.raw AS verdict_raw
FROM (${generations}) g
LEFT JOIN (${runRows('verdicts', plan.judgeRunId)}) v ON v.target_id = g.unit_id`
			: generations;
	}
	return `CREATE OR REPLACE VIEW ${quoteIdent(id)} AS ${body}`;
}

/** The cell named by "from" (its line in the body, for the graph's messages). */
function fromReference(cell: Cell): NameReference[] {
	const { spec } = parseRunSpec(cell.source);
	if (!spec || !isSelfCorrectionSpec(spec)) return [];
	const parsed = parseJson(cell.source);
	const line = parsed.ok ? (parsed.positions.get('from')?.line ?? 1) : 1;
	return [{ name: spec.from, via: 'spec', line }];
}

/** A self-detection / self-repair spec with the spec of the run cell its "from" names. */
function resolveFrom(ctx: CellContext, cell: Cell, spec: SelfCorrectionRunSpec): RunSpec {
	const source = ctx.cell?.(spec.from);
	if (!source || source.kind !== 'run') {
		throw new CellError(`"from": "${spec.from}" is not a run cell of this notebook: name the run cell of the completions to start from`, cell.sourceLine);
	}
	const upstream = parseRunSpec(source.source).spec;
	if (!upstream) throw new CellError(`"from": run cell "${spec.from}" (line ${source.line}) has errors in its spec`, cell.sourceLine);
	const problem = sourceProblem(spec, upstream);
	if (problem) throw new CellError(`"from": ${problem}`, cell.sourceLine);
	return { ...spec, source: upstream as SelfCorrectionRunSpec['source'] };
}

export const runCell: CellKindModule<RunSpec> = {
	name: 'run',
	description: 'a model run (and its judge), self-detection / self-repair on another run cell, or a Vul-Evol run; a view of its rows',
	fenced: true,
	needsId: true,
	yieldsTable: true,
	language: 'json',
	newSource: '{"task": "completion", "model": "endpoint/model", "limit": 5}',
	// The first model covw.config.json lists, so the new cell names a run the project can make.
	example: (_up: Upstream | null, context?: ExampleContext) => ({
		source: `{"task": "completion", "model": ${JSON.stringify(context?.models[0] ?? 'endpoint/model')}, "limit": 5}`
	}),
	parse: parseRunSpec,
	references: (cell) => fromReference(cell),
	renameInSource(source, oldId, newId) {
		return source.replace(/("from"\s*:\s*)"([A-Za-z_][A-Za-z0-9_]*)"/g, (whole, key: string, name: string) =>
			nameKey(name) === nameKey(oldId) ? `${key}"${newId}"` : whole
		);
	},
	schema: RUN_SCHEMA,
	async execute(ctx, cell) {
		const id = cellIdOf(cell);
		const parsed = parseRunSpec(cell.source);
		if (!parsed.spec) throw specErrors(parsed.errors, cell);
		if (!ctx.runs) throw new CellError('run cells need the workbench server or the covw CLI to name their runs', cell.line);
		const spec = isSelfCorrectionSpec(parsed.spec) ? resolveFrom(ctx, cell, parsed.spec) : parsed.spec;
		let plan: RunPlan;
		let unavailable: string | undefined;
		try {
			plan = await ctx.runs.plan(spec);
		} catch (e) {
			if (!isRunUnavailable(e)) throw new CellError(`run cell "${id}": ${e instanceof Error ? e.message : String(e)}`, cell.sourceLine);
			// No items yet: nothing to name, nothing to start; readers see no rows.
			unavailable = e.message;
			plan = notPlanned(spec);
		}
		const hasEvolveTable = plan.kind === 'evolve' && (await ctx.engine.tableNames()).some((t) => nameKey(t) === nameKey(EVOLVE_FILTER_TABLE));
		await ctx.prepare(id, 'view');
		try {
			await ctx.engine.exec(runCellViewSql(id, plan, hasEvolveTable));
		} catch (e) {
			throw engineError(e, cell.line);
		}
		ctx.created(id, 'view');
		const table = await readTable(ctx.engine, id, cell.sourceLine);
		return { table, rowCount: table.numRows, run: { spec, plan, ...(unavailable !== undefined ? { unavailable } : {}) } };
	}
};

// Everything behind one sample, read from the tables the page's DuckDB already holds (items,
// generations, verdicts, labels): the item, the model's answer and its extracted code, every
// judge's verdict, the human labels, and the other answers to the same item. The notebook reads
// the same tables, so the sample view shows exactly what the numbers were computed from —
// including a run still going, once its rows are reloaded. A table that is absent (no benchmark
// imported, no labels yet) is reported, not an error.
import { quoteLiteral } from '../../notebook/sql-ident.ts';
import type { SampleRef } from './sample-ref.ts';

export interface SampleSource {
	tableNames(): Promise<string[]>;
	/** Rows of a query as plain objects. */
	rows(sql: string): Promise<Record<string, unknown>[]>;
}

export interface SampleItem {
	item_id: string;
	task: string | null;
	set: string | null;
	cwe: string | null;
	language: string | null;
	scenario: string | null;
	code: string | null;
	label: string | null;
	label_class: string | null;
}

export interface SampleGeneration {
	run_id: string | null;
	unit_id: string;
	item_id: string | null;
	model: string | null;
	sample: number | null;
	response: string | null;
	code: string | null;
	status: string | null;
	error: string | null;
	language: string | null;
	tokens_in: number | null;
	tokens_out: number | null;
}

export interface SampleVerdict {
	run_id: string | null;
	judge: string | null;
	template: string | null;
	vulnerable: boolean | null;
	predicted_cwe: string | null;
	rule: string | null;
	/** The finding's line in the judged code (rules and analyzers), 1-based. */
	line: number | null;
	raw: string | null;
	status: string | null;
	error: string | null;
}

export interface SampleLabel {
	annotator: string | null;
	vulnerable: boolean | null;
	cwe: string | null;
	skipped: boolean | null;
	note: string | null;
	at: string | null;
}

/** Another answer to the same item (for stepping between models, and compare mode). */
export interface SampleAnswer {
	unit_id: string;
	run_id: string | null;
	model: string | null;
	sample: number | null;
	status: string | null;
}

export interface Sample {
	/** What the judges judged: a generation's unit id, or the item id. */
	target_id: string;
	item_id: string | null;
	item: SampleItem | null;
	/** The table the item was found in: `items` (the benchmark) or a labelled set's `<set>_items`. */
	item_table: string | null;
	generation: SampleGeneration | null;
	/** The code that was judged: the generation's extracted code, else the item's. */
	code: string | null;
	language: string;
	verdicts: SampleVerdict[];
	labels: SampleLabel[];
	answers: SampleAnswer[];
	/** Benchmark tables this page does not have (so their part is empty). */
	missing: string[];
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null);
const time = (v: unknown): string | null =>
	v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'bigint' ? new Date(Number(v)).toISOString() : String(v);

/**
 * The tables an item id may be in: the benchmark's `items`, then the labelled set its prefix names
 * (`covw import --labelled mine` gives items `mine/<id>` in labelled/mine.items.arrow, the table
 * `mine_items`: the data folder's file-stem rule, node/datasets/table-name.ts). Only plain names.
 */
export function itemTables(itemId: string): string[] {
	const slash = itemId.indexOf('/');
	const set = slash > 0 ? itemId.slice(0, slash) : '';
	if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(set)) return ['items'];
	const table = `${set.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_items`;
	return ['items', /^[0-9]/.test(table) ? `t_${table}` : table];
}

const TABLES = ['items', 'generations', 'verdicts', 'labels'] as const;

export async function loadSample(source: SampleSource, ref: SampleRef): Promise<Sample | null> {
	const present = new Set((await source.tableNames()).map((t) => t.toLowerCase()));
	const has = (t: (typeof TABLES)[number]) => present.has(t);
	const first = async (sql: string) => (await source.rows(sql))[0] ?? null;

	// 1. What the row points at. A target_id is what judges judged; a unit_id is a generation's
	//    (or, in the verdicts table, a judge unit's: then its target is looked up).
	let target = ref.target_id;
	let generationRow: Record<string, unknown> | null = null;
	const generationBy = (unit: string) =>
		first(`SELECT * FROM generations WHERE unit_id = ${quoteLiteral(unit)} ORDER BY finished_at DESC NULLS LAST LIMIT 1`);
	if (!target && ref.unit_id) {
		if (has('generations')) generationRow = await generationBy(ref.unit_id);
		if (generationRow) target = ref.unit_id;
		else if (has('verdicts')) target = str((await first(`SELECT target_id FROM verdicts WHERE unit_id = ${quoteLiteral(ref.unit_id)} LIMIT 1`))?.target_id);
	}
	target ??= ref.item_id;
	if (!target) return null;
	if (!generationRow && has('generations')) generationRow = await generationBy(target);

	const generation: SampleGeneration | null = generationRow && {
		run_id: str(generationRow.run_id),
		unit_id: String(generationRow.unit_id),
		item_id: str(generationRow.item_id),
		model: str(generationRow.model),
		sample: num(generationRow.sample),
		response: str(generationRow.response),
		code: str(generationRow.code),
		status: str(generationRow.status),
		error: str(generationRow.error),
		language: str(generationRow.language),
		tokens_in: num(generationRow.tokens_in),
		tokens_out: num(generationRow.tokens_out)
	};

	// 2. The item: the generation's, the row's, or the target itself (item targets). Looked up in
	//    the benchmark's items, then in the labelled set the id names (`<set>/<id>` → `<set>_items`).
	const itemId = generation?.item_id ?? ref.item_id ?? (generation ? null : target);
	let itemRow: Record<string, unknown> | null = null;
	let itemTable: string | null = null;
	for (const table of itemId ? itemTables(itemId) : []) {
		if (!present.has(table)) continue;
		itemRow = await first(`SELECT * FROM ${table} WHERE item_id = ${quoteLiteral(itemId!)} LIMIT 1`);
		if (itemRow) {
			itemTable = table;
			break;
		}
	}
	const item: SampleItem | null = itemRow && {
		item_id: String(itemRow.item_id),
		task: str(itemRow.task),
		set: str(itemRow.set),
		cwe: str(itemRow.cwe),
		language: str(itemRow.language),
		scenario: str(itemRow.scenario),
		code: str(itemRow.code),
		label: str(itemRow.label),
		label_class: str(itemRow.label_class)
	};

	// 3. Every judge's verdict on the target.
	const verdicts: SampleVerdict[] = has('verdicts')
		? (await source.rows(`SELECT * FROM verdicts WHERE target_id = ${quoteLiteral(target)} ORDER BY judge, template, run_id`)).map((v) => ({
				run_id: str(v.run_id),
				judge: str(v.judge),
				template: str(v.template),
				vulnerable: bool(v.vulnerable),
				predicted_cwe: str(v.predicted_cwe),
				rule: str(v.rule),
				line: num(v.line),
				raw: str(v.raw),
				status: str(v.status),
				error: str(v.error)
			}))
		: [];

	// 4. Human labels on the target (and on the item, when the target is a generation).
	const labelTargets = [target, ...(itemId && itemId !== target ? [itemId] : [])].map(quoteLiteral).join(', ');
	const labels: SampleLabel[] = has('labels')
		? (await source.rows(`SELECT * FROM labels WHERE CAST(target_id AS VARCHAR) IN (${labelTargets})`)).map((l) => ({
				annotator: str(l.annotator),
				vulnerable: bool(l.vulnerable),
				cwe: str(l.cwe),
				skipped: bool(l.skipped),
				note: str(l.note),
				at: time(l.at)
			}))
		: [];

	// 5. The other answers to the same item (every model, every sample).
	const answers: SampleAnswer[] =
		itemId && has('generations')
			? (
					await source.rows(
						`SELECT unit_id, run_id, model, sample, status FROM generations WHERE item_id = ${quoteLiteral(itemId)} ORDER BY model, sample, run_id LIMIT 500`
					)
				).map((a) => ({ unit_id: String(a.unit_id), run_id: str(a.run_id), model: str(a.model), sample: num(a.sample), status: str(a.status) }))
			: [];

	return {
		target_id: target,
		item_id: itemId,
		item,
		item_table: itemTable,
		generation,
		code: generation ? generation.code : (item?.code ?? null),
		language: generation?.language ?? item?.language ?? 'c',
		verdicts,
		labels,
		answers,
		// A labelled set's item stands in for the benchmark's: its items table is not missing then.
		missing: TABLES.filter((t) => !has(t) && !(t === 'items' && itemTable))
	};
}

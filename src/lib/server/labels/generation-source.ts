// Model generations to label, from the `generations` run table (every generation run in the
// runs folder). A generation target is identified by its unit_id — the id judge runs use as
// their target_id — so labels join verdicts on target_id directly.
//
// Its target CWE, language and scenario are the prompt item's: generation units copy them from
// the item into every row (src/lib/runs/generation-units.ts), so the items table need not be
// imported to label a run. The code is the program extracted from the answer, or the raw
// answer when nothing was extracted.
//
// Left out, and counted per run: generations that failed (status 'error'), that were not
// understood ('unparsed'), and 'ok' ones with neither code nor answer text: nothing to label.
// Detection runs are left out altogether: their answers are verdicts on given code, not programs.
import { tableFromIPC } from 'apache-arrow';
import { ALL_GENERATION_RUNS, facet, type Facet } from '../../core/labels/queue.ts';
import type { TargetView } from '../../core/labels/target.ts';

/** A run table as Arrow IPC stream bytes (the workbench reads it from the run logs). */
export type TableSource = () => Promise<Uint8Array>;

/** A generation target and what is revealed only after the answer: who wrote it, in which run. */
export interface GenerationTarget extends TargetView {
	kind: 'generation';
	prompt_item_id: string;
	sample: number;
	run_id: string;
	model: string | null;
}

/** One generation run as the source picker lists it. */
export interface GenerationRunSource {
	run_id: string;
	task: string | null;
	model: string | null;
	/** Generations there are to label. */
	ok: number;
	/** Left out, nothing to label: failed requests, answers not understood, answers with no code (status no_code). */
	error: number;
	unparsed: number;
	no_code: number;
	cwes: Facet[];
}

interface Decoded {
	runs: GenerationRunSource[];
	byRun: Map<string, GenerationTarget[]>;
	all: GenerationTarget[];
	byId: Map<string, GenerationTarget>;
}

const COLUMNS = ['run_id', 'unit_id', 'item_id', 'model', 'sample', 'response', 'code', 'status', 'task', 'set', 'cwe', 'language', 'scenario'] as const;
type Row = Record<(typeof COLUMNS)[number], unknown>;

export class GenerationSource {
	/** The last table read and what it decoded to: the workbench's run-table cache hands out the same bytes until a run changes. */
	private cached: { bytes: Uint8Array; decoded: Decoded } | null = null;

	constructor(private readonly table: TableSource | null) {}

	/** Generation runs (detection runs excepted), oldest first, with their counts. */
	async runs(): Promise<GenerationRunSource[]> {
		return (await this.load()).runs;
	}

	/**
	 * The run's generations to label, by prompt item then sample; ALL_GENERATION_RUNS gives
	 * every run's, each item's answers from the different models one after another. Null for a
	 * run id that is no generation run with something to label.
	 */
	async targets(runId: string): Promise<GenerationTarget[] | null> {
		const decoded = await this.load();
		if (runId === ALL_GENERATION_RUNS) return decoded.all;
		return decoded.byRun.get(runId) ?? null;
	}

	async get(targetId: string): Promise<GenerationTarget | null> {
		return (await this.load()).byId.get(targetId) ?? null;
	}

	private async load(): Promise<Decoded> {
		if (!this.table) return decode(null);
		const bytes = await this.table();
		if (this.cached?.bytes !== bytes) this.cached = { bytes, decoded: decode(bytes) };
		return this.cached.decoded;
	}
}

function decode(bytes: Uint8Array | null): Decoded {
	const runs = new Map<string, GenerationRunSource>();
	const byRun = new Map<string, GenerationTarget[]>();
	if (bytes) {
		const table = tableFromIPC(bytes);
		const columns = COLUMNS.map((name) => table.getChild(name));
		for (let i = 0; i < table.numRows; i++) {
			const row = Object.fromEntries(COLUMNS.map((name, c) => [name, columns[c]?.get(i) ?? null])) as Row;
			const runId = text(row.run_id);
			if (runId === null || row.task === 'detection') continue;
			let run = runs.get(runId);
			if (!run) {
				run = { run_id: runId, task: text(row.task), model: text(row.model), ok: 0, error: 0, unparsed: 0, no_code: 0, cwes: [] };
				runs.set(runId, run);
				byRun.set(runId, []);
			}
			if (row.status === 'error' || row.status === 'unparsed') {
				run[row.status]++;
				continue;
			}
			// An answer with no program in it (status no_code): nothing to label, counted as no code.
			if (row.status === 'no_code') {
				run.no_code++;
				continue;
			}
			const target = generationTarget(row, runId);
			if (!target) {
				run.no_code++;
				continue;
			}
			run.ok++;
			byRun.get(runId)!.push(target);
		}
	}
	for (const [runId, targets] of byRun) {
		targets.sort(byPromptItem);
		runs.get(runId)!.cwes = facet(targets, (t) => t.cwe);
	}
	const all = [...byRun.values()].flat().sort((a, b) => byPromptItem(a, b) || a.run_id.localeCompare(b.run_id));
	return { runs: [...runs.values()], byRun, all, byId: new Map(all.map((t) => [t.target_id, t])) };
}

/** Null when there is nothing to show: no unit id, or neither extracted code nor answer text. */
function generationTarget(row: Row, runId: string): GenerationTarget | null {
	const unitId = text(row.unit_id);
	const extracted = text(row.code);
	const code = extracted && extracted.trim() !== '' ? extracted : text(row.response);
	if (unitId === null || code === null || code.trim() === '') return null;
	return {
		target_id: unitId,
		kind: 'generation',
		task: text(row.task) ?? '',
		set: text(row.set) ?? '',
		cwe: text(row.cwe) ?? '',
		language: text(row.language) ?? '',
		scenario: text(row.scenario) ?? '',
		code,
		prompt_item_id: text(row.item_id) ?? '',
		sample: typeof row.sample === 'number' ? row.sample : 0,
		run_id: runId,
		model: text(row.model)
	};
}

const byPromptItem = (a: GenerationTarget, b: GenerationTarget) =>
	a.prompt_item_id.localeCompare(b.prompt_item_id, 'en', { numeric: true }) || a.sample - b.sample;

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

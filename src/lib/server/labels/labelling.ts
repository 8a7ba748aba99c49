// What the labelling API does, apart from HTTP: pick the next target (a benchmark item or a
// model generation), save a label, reveal the judges after an answer, import/export CSV,
// summarise agreement.
import { answerFields, isAnswered, type Answer } from '../../core/labels/answer.ts';
import { agreementSummary, type AgreementSummary } from '../../core/labels/aggregate.ts';
import { checkAnnotator, checkTargetId, LabelFieldError, parseCwe, parseReason, REJECT_REASONS, type Label } from '../../core/labels/label.ts';
import { ALL_GENERATION_RUNS, filterTargets, labelsOf, nextTarget, progressOf, targetFacets, type Facet, type Progress, type TargetFilter } from '../../core/labels/queue.ts';
import { itemTarget, viewOf, type TargetView } from '../../core/labels/target.ts';
import type { Item } from '../../core/items/item.ts';
import { GenerationSource, type GenerationRunSource, type GenerationTarget, type TableSource } from './generation-source.ts';
import { ItemSource } from './item-source.ts';
import { LabelStore } from './label-store.ts';
import { SurvivorSource, type EvolveRunSource, type SurvivorTarget } from './survivor-source.ts';
import { labelsToCsv, parseLabelsCsvRows } from './labels-csv.ts';
import { verdictsFor, type VerdictView } from './verdicts.ts';

export type { EvolveRunSource, GenerationRunSource, TargetView };

/** Shown only once the annotator has answered the target. */
export interface Reveal {
	verdicts: VerdictView[];
	verdicts_error?: string;
	/** The dataset's own label ('vulnerable' / 'non_vulnerable'), when it has one; null for generations. */
	dataset_label: string | null;
	dataset_label_class: string | null;
	/** An item's origin (its upstream path); a generation's run folder. */
	source: string;
	/** Generations: which model wrote the code, in which run; null for items. */
	generation: { run_id: string; model: string | null; prompt_item_id: string; sample: number } | null;
	/** Survivors: the evolve run and the model that wrote the scenario; absent otherwise. */
	evolve?: { run_id: string; model: string };
}

export interface TargetAnswer {
	/** Null when every target in the filter is answered or skipped. */
	target: TargetView | null;
	/** This annotator's current label on the target. */
	label: Label | null;
	reveal: Reveal | null;
	progress: Progress;
	/** Lines of the label files left out (not valid labels), each naming file, line and field. */
	warnings?: string[];
}

export interface Sources {
	/** False while there is nothing to label: no benchmark imported and no generation run. */
	available: boolean;
	/** False until a benchmark is imported into datasets/coveval/items.arrow. */
	items_imported: boolean;
	/** The items' sets and CWEs. */
	sets: Facet[];
	cwes: Facet[];
	/** Generation runs (not detection runs), oldest first, each with its CWEs. */
	runs: GenerationRunSource[];
	/** Why the generation runs could not be listed; absent otherwise. */
	runs_error?: string;
	/** Vul-Evol runs whose survivors can be accepted or rejected. */
	evolve_runs: EvolveRunSource[];
	/** Why the evolve runs could not be listed; absent otherwise. */
	evolve_error?: string;
}

/** Bad input from a request, reported as a 400 with this message. */
export class LabellingInputError extends Error {}

type Found = { kind: 'item'; item: Item } | { kind: 'generation'; generation: GenerationTarget } | { kind: 'survivor'; survivor: SurvivorTarget };

export class Labelling {
	readonly store: LabelStore;
	readonly items: ItemSource;
	readonly generations: GenerationSource;
	readonly survivors: SurvivorSource;

	/**
	 * `verdicts` and `generations` give those run tables as Arrow IPC stream bytes; without
	 * `generations` only benchmark items are offered; `runsDir` holds the evolve runs whose
	 * survivors are offered for acceptance (none without it).
	 */
	constructor(
		dataRoot: string,
		private readonly verdicts: TableSource,
		generations: TableSource | null = null,
		runsDir: string | null = null
	) {
		this.store = new LabelStore(dataRoot);
		this.items = new ItemSource(dataRoot);
		this.generations = new GenerationSource(generations);
		this.survivors = new SurvivorSource(runsDir);
	}

	async sources(): Promise<Sources> {
		const items = await this.items.items();
		let runs: GenerationRunSource[] = [];
		let runsError: string | undefined;
		try {
			runs = await this.generations.runs();
		} catch (error) {
			// The items stay labellable when the run logs cannot be read.
			runsError = `the generation runs could not be read: ${(error as Error).message}`;
		}
		let evolveRuns: EvolveRunSource[] = [];
		let evolveError: string | undefined;
		try {
			evolveRuns = await this.survivors.runs();
		} catch (error) {
			evolveError = `the evolve runs could not be read: ${(error as Error).message}`;
		}
		return {
			available: items !== null || runs.length > 0 || evolveRuns.length > 0,
			items_imported: items !== null,
			...(items ? targetFacets(items.map(itemTarget)) : { sets: [], cwes: [] }),
			runs,
			...(runsError ? { runs_error: runsError } : {}),
			evolve_runs: evolveRuns,
			...(evolveError ? { evolve_error: evolveError } : {})
		};
	}

	/** The requested target (`targetId`), or else the annotator's next one in the filter. */
	async target(annotatorInput: unknown, filter: TargetFilter, targetId?: string | null): Promise<TargetAnswer> {
		const annotator = input(() => checkAnnotator(annotatorInput));
		const targets = filterTargets(await this.pool(filter), filter);
		const { latest, warnings } = await this.store.read();
		const mine = labelsOf(latest, annotator);
		let found: Found | null;
		if (targetId) {
			found = await this.find(targetId);
			if (!found) throw new LabellingInputError(`no item or generation with target_id ${JSON.stringify(targetId)} (neither in the items table nor in a generation run)`);
		} else {
			const next = nextTarget(targets, mine);
			found = next ? await this.find(next.target_id) : null;
		}
		const id = found ? idOf(found) : null;
		const label = id ? (mine.get(id) ?? null) : null;
		return {
			target: found ? viewOf(viewTarget(found)) : null,
			label,
			reveal: found && isAnswered(label) ? await this.reveal(found) : null,
			progress: progressOf(targets, mine),
			...(warnings.length ? { warnings } : {})
		};
	}

	/**
	 * Saves an answer (with its note) as given — on disk before this resolves — and returns the
	 * label and, when it is an answer, the reveal.
	 */
	async give(body: Record<string, unknown>): Promise<{ label: Label; reveal: Reveal | null }> {
		const annotator = input(() => checkAnnotator(body.annotator));
		const targetId = input(() => checkTargetId(body.target_id));
		const answer = input(() => parseAnswer(body.answer, body.cwe, body.reason));
		const note = body.note === undefined ? '' : body.note;
		// "other" is only a reason with the annotator's words for it.
		if (answer.kind === 'reject' && answer.reason === 'other' && (typeof note !== 'string' || note.trim() === '')) {
			throw new LabellingInputError('a rejection for another reason needs a note saying why (field "note")');
		}
		const found = await this.find(targetId);
		// The same rule as a CSV import: a label names something there is to label.
		if (!found) throw new LabellingInputError(`no item, generation or Vul-Evol survivor has target_id ${JSON.stringify(targetId)}: label not saved`);
		// A survivor is a scenario to accept or reject, not code to call vulnerable; and the reverse.
		const acceptance = answer.kind === 'accept' || answer.kind === 'reject';
		if (found?.kind === 'survivor' && !acceptance && answer.kind !== 'skip' && answer.kind !== 'none') {
			throw new LabellingInputError(`${targetId} is a Vul-Evol survivor: answer accept or reject, not ${answer.kind}`);
		}
		if (found && found.kind !== 'survivor' && acceptance) {
			throw new LabellingInputError(`${targetId} is not a Vul-Evol survivor: only survivors are accepted or rejected`);
		}
		const label = await input(() =>
			this.store.append({
				target_id: targetId,
				annotator,
				...answerFields(answer, cweOf(found)),
				note: note as string,
				at: new Date().toISOString()
			})
		);
		return { label, reveal: isAnswered(label) ? await this.reveal(found) : null };
	}

	async exportCsv(): Promise<string> {
		return labelsToCsv((await this.store.read()).latest);
	}

	/**
	 * All or nothing: every row must name a target there is to label — an item of the imported
	 * benchmark (items table), a generation offered for labelling in any generation run, or a
	 * Vul-Evol survivor of an evolve run — else the file is refused, each such row named with its
	 * line. Rows already there (the same label in the history, or, for a row without a time, the
	 * annotator's current label saying the same) are not added again: importing a file twice adds
	 * nothing the second time.
	 */
	async importCsv(bytes: Uint8Array, file: string): Promise<{ added: number; already: number }> {
		const items = await this.items.items();
		const cweOfItem = new Map((items ?? []).map((i) => [i.item_id, i.cwe]));
		const generations = (await this.generations.targets(ALL_GENERATION_RUNS)) ?? [];
		const cweOfGeneration = new Map(generations.map((g) => [g.target_id, g.cwe]));
		for (const run of await this.survivors.runs().catch(() => [])) for (const t of (await this.survivors.targets(run.run_id)) ?? []) cweOfGeneration.set(t.target_id, t.cwe);
		const targetCwe = (id: string) => cweOfItem.get(id) ?? cweOfGeneration.get(id) ?? null;
		const rows = parseLabelsCsvRows(bytes, {
			file,
			now: new Date().toISOString(),
			targetCwe,
			knownTarget: (id) => cweOfItem.has(id) || cweOfGeneration.has(id),
			knownTargets: `an item of the imported benchmark${items ? '' : ' (none imported)'}, a generation of a generation run, or a Vul-Evol survivor`
		});
		const { added, present } = await this.store.addNew(rows);
		return { added, already: present };
	}

	async agreement(pair?: { a: string; b: string }): Promise<AgreementSummary & { warnings: string[] }> {
		const { latest, warnings } = await this.store.read();
		return { ...agreementSummary(latest, pair), warnings };
	}

	/** The targets a filter draws from: a generation run's generations, or the benchmark items. */
	private async pool(filter: TargetFilter): Promise<TargetView[]> {
		if (filter.evolve) {
			const survivors = await this.survivors.targets(filter.evolve);
			if (!survivors) throw new LabellingInputError(`no evolve run ${JSON.stringify(filter.evolve)} with a filter table (runs/<id>/filters.jsonl)`);
			return survivors;
		}
		if (filter.run) {
			const generations = await this.generations.targets(filter.run);
			if (!generations) throw new LabellingInputError(`no generation run ${JSON.stringify(filter.run)} with generations to label`);
			return generations;
		}
		return (await this.itemsOrThrow()).map(itemTarget);
	}

	/** An item first, then a generation (engine unit ids are 32 hex digits, item ids are paths: they do not meet). */
	private async find(targetId: string): Promise<Found | null> {
		const item = await this.items.get(targetId);
		if (item) return { kind: 'item', item };
		const generation = await this.generations.get(targetId);
		if (generation) return { kind: 'generation', generation };
		// A damaged filter table (reported by sources()) must not break labelling anything else.
		const survivor = await this.survivors.get(targetId).catch(() => null);
		return survivor ? { kind: 'survivor', survivor } : null;
	}

	private async reveal(found: Found): Promise<Reveal> {
		const verdicts = await verdictsFor(this.verdicts, idOf(found));
		const base = { verdicts: verdicts.verdicts, ...(verdicts.error ? { verdicts_error: verdicts.error } : {}) };
		if (found.kind === 'survivor') {
			const { run_id, model } = found.survivor;
			return { ...base, dataset_label: null, dataset_label_class: null, source: `runs/${run_id}`, generation: null, evolve: { run_id, model } };
		}
		if (found.kind === 'item') {
			const { item } = found;
			return { ...base, dataset_label: item.label, dataset_label_class: item.label_class, source: item.source, generation: null };
		}
		const { run_id, model, prompt_item_id, sample } = found.generation;
		// The prompt item's own label says nothing about the model's answer: none is shown.
		return { ...base, dataset_label: null, dataset_label_class: null, source: `runs/${run_id}`, generation: { run_id, model, prompt_item_id, sample } };
	}

	private async itemsOrThrow(): Promise<Item[]> {
		const items = await this.items.items();
		if (!items) {
			throw new LabellingInputError(`no items to label: ${this.items.file} does not exist (import the benchmark with \`covw data import\`)`);
		}
		return items;
	}
}

const viewTarget = (found: Found): TargetView =>
	found.kind === 'item' ? itemTarget(found.item) : found.kind === 'generation' ? found.generation : found.survivor;
const idOf = (found: Found) => viewTarget(found).target_id;
const cweOf = (found: Found) => viewTarget(found).cwe;

function parseAnswer(kind: unknown, cwe: unknown, reason: unknown): Answer {
	switch (kind) {
		case 'accept':
			return { kind };
		case 'reject': {
			const why = parseReason(reason ?? null);
			if (why === null) throw new LabelFieldError('reason', `a rejection needs a reason (${REJECT_REASONS.join(', ')})`);
			return { kind, reason: why };
		}
		case 'vulnerable':
		case 'not_vulnerable':
		case 'skip':
		case 'none':
			return { kind };
		case 'other_cwe': {
			const id = parseCwe(cwe ?? null);
			if (id === null) throw new LabelFieldError('cwe', 'an "other CWE" answer needs the CWE');
			return { kind, cwe: id };
		}
		default:
			throw new LabelFieldError('answer', `${JSON.stringify(kind)} must be one of vulnerable, not_vulnerable, other_cwe, skip, none, accept, reject`);
	}
}

/** Runs `check`, turning a LabelFieldError into a LabellingInputError (a 400). */
function input<T>(check: () => T): T {
	try {
		const result = check();
		if (result instanceof Promise) {
			return result.catch((error) => {
				throw error instanceof LabelFieldError ? new LabellingInputError(error.message) : error;
			}) as T;
		}
		return result;
	} catch (error) {
		throw error instanceof LabelFieldError ? new LabellingInputError(error.message) : error;
	}
}

// What the labelling API does, apart from HTTP: pick the next target, save a label, reveal
// the judges after an answer, import/export CSV, summarise agreement.
import { answerFields, isAnswered, type Answer } from '../../core/labels/answer.ts';
import { agreementSummary, type AgreementSummary } from '../../core/labels/aggregate.ts';
import { checkAnnotator, checkTargetId, LabelFieldError, parseCwe, type Label } from '../../core/labels/label.ts';
import { filterTargets, labelsOf, nextTarget, progressOf, targetFacets, type Facet, type Progress, type TargetFilter } from '../../core/labels/queue.ts';
import type { Item } from '../../core/items/item.ts';
import { ItemSource } from './item-source.ts';
import { LabelStore } from './label-store.ts';
import { labelsToCsv, parseLabelsCsv } from './labels-csv.ts';
import { verdictsFor, type VerdictSource, type VerdictView } from './verdicts.ts';

/** A target as shown before the answer: nothing that tells what others decided. */
export interface TargetView {
	target_id: string;
	task: string;
	set: string;
	cwe: string;
	language: string;
	scenario: string;
	code: string;
}

/** Shown only once the annotator has answered the target. */
export interface Reveal {
	verdicts: VerdictView[];
	verdicts_error?: string;
	/** The dataset's own label ('vulnerable' / 'non_vulnerable'), when it has one. */
	dataset_label: string | null;
	dataset_label_class: string | null;
	source: string;
}

export interface TargetAnswer {
	/** Null when every target in the filter is answered or skipped. */
	target: TargetView | null;
	/** This annotator's current label on the target. */
	label: Label | null;
	reveal: Reveal | null;
	progress: Progress;
}

export interface Sources {
	/** False until a benchmark is imported into datasets/coveval/items.arrow. */
	available: boolean;
	sets: Facet[];
	cwes: Facet[];
}

/** Bad input from a request, reported as a 400 with this message. */
export class LabellingInputError extends Error {}

export class Labelling {
	readonly store: LabelStore;
	readonly items: ItemSource;

	constructor(
		dataRoot: string,
		private readonly verdicts: VerdictSource
	) {
		this.store = new LabelStore(dataRoot);
		this.items = new ItemSource(dataRoot);
	}

	async sources(): Promise<Sources> {
		const items = await this.items.items();
		return items ? { available: true, ...targetFacets(items) } : { available: false, sets: [], cwes: [] };
	}

	/** The requested target (`targetId`), or else the annotator's next one in the filter. */
	async target(annotatorInput: unknown, filter: TargetFilter, targetId?: string | null): Promise<TargetAnswer> {
		const annotator = input(() => checkAnnotator(annotatorInput));
		const items = await this.itemsOrThrow();
		const { latest } = await this.store.read();
		const mine = labelsOf(latest, annotator);
		const targets = filterTargets(items, filter);
		let item: Item | null;
		if (targetId) {
			item = (await this.items.get(targetId)) ?? null;
			if (!item) throw new LabellingInputError(`no item with target_id ${JSON.stringify(targetId)} in the items table`);
		} else {
			item = nextTarget(targets, mine);
		}
		const label = item ? (mine.get(item.item_id) ?? null) : null;
		return {
			target: item ? view(item) : null,
			label,
			reveal: item && isAnswered(label) ? await this.reveal(item) : null,
			progress: progressOf(targets, mine)
		};
	}

	/**
	 * Saves an answer (with its note) as given — on disk before this resolves — and returns the
	 * label and, when it is an answer, the reveal.
	 */
	async give(body: Record<string, unknown>): Promise<{ label: Label; reveal: Reveal | null }> {
		const annotator = input(() => checkAnnotator(body.annotator));
		const targetId = input(() => checkTargetId(body.target_id));
		const answer = input(() => parseAnswer(body.answer, body.cwe));
		const note = body.note === undefined ? '' : body.note;
		const item = await this.items.get(targetId);
		const label = await input(() =>
			this.store.append({
				target_id: targetId,
				annotator,
				...answerFields(answer, item?.cwe ?? null),
				note: note as string,
				at: new Date().toISOString()
			})
		);
		return { label, reveal: item && isAnswered(label) ? await this.reveal(item) : null };
	}

	async exportCsv(): Promise<string> {
		return labelsToCsv((await this.store.read()).latest);
	}

	/** All or nothing; returns how many labels were added. */
	async importCsv(bytes: Uint8Array, file: string): Promise<number> {
		const items = await this.items.items();
		const cweOf = new Map((items ?? []).map((i) => [i.item_id, i.cwe]));
		const labels = parseLabelsCsv(bytes, { file, now: new Date().toISOString(), targetCwe: (id) => cweOf.get(id) ?? null });
		await this.store.appendMany(labels);
		return labels.length;
	}

	async agreement(pair?: { a: string; b: string }): Promise<AgreementSummary & { warnings: string[] }> {
		const { latest, warnings } = await this.store.read();
		return { ...agreementSummary(latest, pair), warnings };
	}

	private async reveal(item: Item): Promise<Reveal> {
		const found = await verdictsFor(this.verdicts, item.item_id);
		return {
			verdicts: found.verdicts,
			...(found.error ? { verdicts_error: found.error } : {}),
			dataset_label: item.label,
			dataset_label_class: item.label_class,
			source: item.source
		};
	}

	private async itemsOrThrow(): Promise<Item[]> {
		const items = await this.items.items();
		if (!items) {
			throw new LabellingInputError(`no items to label: ${this.items.file} does not exist (import the benchmark with \`covw data import\`)`);
		}
		return items;
	}
}

function view(item: Item): TargetView {
	const { item_id, task, set, cwe, language, scenario, code } = item;
	return { target_id: item_id, task, set, cwe, language, scenario, code };
}

function parseAnswer(kind: unknown, cwe: unknown): Answer {
	switch (kind) {
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
			throw new LabelFieldError('answer', `${JSON.stringify(kind)} must be one of vulnerable, not_vulnerable, other_cwe, skip, none`);
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

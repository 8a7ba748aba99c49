// What the side panel beside the notebook shows: a sample (opened from a result row, with
// previous/next through that result in the order the grid shows it), or a table's preview
// (opened from the schema browser). One panel per page.
import type { ResultTable } from '../../notebook/executor.ts';
import { sampleRefAt, stepPosition, type SampleRef } from './sample-ref.ts';

export interface SampleList {
	table: ResultTable;
	/** Table row indices in the order the grid shows them (sorted, filtered). */
	order: readonly number[];
	position: number;
	/** Where the rows came from (the cell id), for the panel's heading. */
	source: string;
}

class Inspector {
	list = $state.raw<SampleList | null>(null);
	/** The sample shown: the list's current row, or one picked inside the panel. */
	ref = $state.raw<SampleRef | null>(null);
	/** Compare mode: a second answer shown beside the first. */
	compare = $state.raw<SampleRef | null>(null);
	/** A table previewed from the schema browser. */
	preview = $state.raw<string | null>(null);

	get open(): boolean {
		return this.ref !== null || this.preview !== null;
	}

	openRow(table: ResultTable, order: readonly number[], position: number, source: string): void {
		const ref = sampleRefAt(table, order[position]);
		if (!ref) return;
		this.list = { table, order, position, source };
		this.ref = ref;
		this.compare = null;
		this.preview = null;
	}

	openRef(ref: SampleRef): void {
		this.ref = ref;
		this.compare = null;
		this.preview = null;
	}

	canStep(delta: 1 | -1): boolean {
		const list = this.list;
		return !!list && stepPosition(list.table, list.order, list.position, delta) !== null;
	}

	step(delta: 1 | -1): void {
		const list = this.list;
		if (!list) return;
		const position = stepPosition(list.table, list.order, list.position, delta);
		if (position === null) return;
		this.list = { ...list, position };
		this.ref = sampleRefAt(list.table, list.order[position]);
		this.compare = null;
	}

	showTable(name: string): void {
		this.preview = name;
		this.ref = null;
		this.list = null;
		this.compare = null;
	}

	close(): void {
		this.list = null;
		this.ref = null;
		this.compare = null;
		this.preview = null;
	}
}

export const inspector = new Inspector();

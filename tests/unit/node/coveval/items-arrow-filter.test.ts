// Reading the items table for one task (what `covw run` does) decodes only that task's rows, and
// gives the same items, in the same order, as reading every row and keeping that task's.
import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { itemsFromArrowStream, itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';

const item = (i: number, task: Item['task']): Item =>
	({ item_id: `${task}-${i}`, task, set: task === 'detection' ? 'detection' : 'seed', cwe: 'CWE-79', language: i % 2 ? 'c' : 'python', scenario: `s${i}`, code: `code ${i}`, label: task === 'detection' ? 'vulnerable' : null, label_class: null, source: `src/${i}` }) as unknown as Item;

describe('items table filtered by task', () => {
	const items = [item(0, 'completion'), item(1, 'detection'), item(2, 'repair'), item(3, 'detection'), item(4, 'completion')];
	const bytes = itemsToArrowStream(items);

	it('returns exactly the task\'s items, as a full read would', () => {
		const all = itemsFromArrowStream(bytes);
		for (const task of ['completion', 'repair', 'detection'] as const) {
			expect(itemsFromArrowStream(bytes, { task })).toEqual(all.filter((i) => i.task === task));
		}
		expect(itemsFromArrowStream(bytes, { task: 'detection' }).map((i) => i.item_id)).toEqual(['detection-1', 'detection-3']);
	});

	it('reads every row without a filter', () => {
		expect(itemsFromArrowStream(bytes).map((i) => i.item_id)).toEqual(items.map((i) => i.item_id));
	});
});

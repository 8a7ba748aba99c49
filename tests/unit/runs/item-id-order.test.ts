// core/items/item-id-order.ts orders plain ASCII item ids exactly as
// `new Intl.Collator('en', { numeric: true })` does (what runs/select-items.ts sorted with, and
// still does for other ids): on random ids built from the pieces that matter (case, digit runs,
// `_ - . /`), on every real CoV-Eval id (../shared/coveval, read at run time), and through
// selectItems, whose order decides a run's units.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareItemIds, plainItemIds } from '../../../src/lib/core/items/item-id-order.ts';
import type { Item } from '../../../src/lib/core/items/item.ts';
import { loadItemsFromFolder } from '../../../src/lib/node/coveval/load-items.ts';
import { selectItems } from '../../../src/lib/runs/select-items.ts';

const collator = new Intl.Collator('en', { numeric: true });
const sign = Math.sign;
const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/coveval');
const missing = !existsSync(shared);
if (missing) console.warn(`skipping the real item ids: ${shared} is absent`);

const PIECES = ['a', 'A', 'b', 'B', 'z', 'Z', '0', '1', '9', '10', '2', '100', '_', '-', '.', '/', 'cwe', 'CWE', 'copilot', '-1', '-16', 'x'];
function randomIds(seed: number) {
	let s = seed;
	const next = (n: number) => ((s = (s * 1103515245 + 12345) & 0x7fffffff), s % n);
	return () => Array.from({ length: next(7) }, () => PIECES[next(PIECES.length)]).join('');
}

describe('item id order without a collator', () => {
	it('compares random plain ids as the collator does', () => {
		const id = randomIds(11);
		const differences: string[] = [];
		let compared = 0;
		for (let k = 0; k < 50_000; k++) {
			const a = id();
			const b = k % 5 === 0 ? a.toUpperCase() : id();
			if (!plainItemIds([a, b])) continue;
			compared++;
			if (sign(compareItemIds(a, b)) !== sign(collator.compare(a, b))) differences.push(`${a} vs ${b}`);
		}
		expect(compared).toBeGreaterThan(40_000);
		expect(differences.slice(0, 5)).toEqual([]);
	});

	it('leaves ids it cannot order to the collator', () => {
		expect(plainItemIds(['detection/CWE-20/x/copilot-16', 'repair/CWE-787/y_2.c'])).toBe(true);
		for (const id of ['a/07', 'é', 'a b', 'a+b', '12345678901234567', 'CWE-020']) expect(plainItemIds([id])).toBe(false);
	});

	it('sorts selectItems as the collator does, plain ids or not', () => {
		const item = (item_id: string) => ({ item_id, task: 'detection' }) as Item;
		const plain = ['d/CWE-20/b/copilot-16', 'd/CWE-20/b/copilot-2', 'd/CWE-125/a/x', 'd/cwe-20/B/copilot-1', 'd/CWE-20/b_c/1', 'd/CWE-20/b-c/1'];
		const mixed = [...plain, 'd/CWE-20/é/1', 'd/CWE-20/b/copilot-02'];
		for (const ids of [plain, mixed]) {
			expect(selectItems(ids.map(item), { task: 'detection' }).map((i) => i.item_id)).toEqual([...ids].sort(collator.compare));
		}
	});

	it.skipIf(missing)('orders every CoV-Eval item id as the collator does', async () => {
		const ids = (await loadItemsFromFolder(shared)).items.map((i) => i.item_id);
		expect(ids.length).toBeGreaterThan(2000);
		expect(plainItemIds(ids)).toBe(true);
		expect([...ids].sort(compareItemIds)).toEqual([...ids].sort(collator.compare));
	});
});

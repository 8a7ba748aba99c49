// The items to label: the imported benchmark's items table (datasets/coveval/items.arrow),
// re-read only when the file changes.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Item } from '../../core/items/item.ts';
import { readItemsArrow } from '../../node/coveval/items-arrow.ts';

export const ITEMS_FILE = 'coveval/items.arrow';

export class ItemSource {
	readonly file: string;
	private cached: { size: number; mtimeMs: number; items: Item[]; byId: Map<string, Item> } | null = null;

	constructor(dataRoot: string) {
		this.file = join(dataRoot, ITEMS_FILE);
	}

	/** Null when no benchmark has been imported (`covw data import` writes the file). */
	async items(): Promise<Item[] | null> {
		return (await this.load())?.items ?? null;
	}

	async get(targetId: string): Promise<Item | null> {
		return (await this.load())?.byId.get(targetId) ?? null;
	}

	private async load() {
		let info;
		try {
			info = await stat(this.file);
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return null;
			throw error;
		}
		if (this.cached?.size !== info.size || this.cached.mtimeMs !== info.mtimeMs) {
			const items = await readItemsArrow(this.file);
			this.cached = { size: info.size, mtimeMs: info.mtimeMs, items, byId: new Map(items.map((i) => [i.item_id, i])) };
		}
		return this.cached;
	}
}

// The items table on disk: an Arrow IPC *stream* (the format DuckDB-WASM's
// insertArrowFromIPCStream reads), written to a temporary file and renamed into place so a
// crash never leaves a half-written table where the workbench looks for it.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { ITEM_COLUMNS, type Item } from '../../core/items/item.ts';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';

/** Every column is Utf8 (nullable for label and label_class), in ITEM_COLUMNS order. */
export function itemsToArrowStream(items: readonly Item[]): Uint8Array {
	const columns = Object.fromEntries(
		ITEM_COLUMNS.map((name) => [name, vectorFromArray(items.map((item) => item[name]), new Utf8())])
	);
	return tableToIPC(new Table(columns), 'stream');
}

/** Which rows to decode: only the items of one task (the others are never turned into objects). */
export interface ItemsFilter {
	task?: Item['task'];
}

export function itemsFromArrowStream(bytes: Uint8Array, filter: ItemsFilter = {}): Item[] {
	const table = tableFromIPC(bytes);
	// Each column looked up once, not once per row.
	const columns = ITEM_COLUMNS.map((name) => [name, table.getChild(name)] as const);
	const task = filter.task === undefined ? null : table.getChild('task');
	const items: Item[] = [];
	for (let i = 0; i < table.numRows; i++) {
		if (task && task.get(i) !== filter.task) continue;
		const row: Record<string, unknown> = {};
		for (const [name, column] of columns) row[name] = column?.get(i) ?? null;
		items.push(row as unknown as Item);
	}
	return items;
}

/** Writes bytes to path atomically: temp file in the same folder, then rename. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
	try {
		await writeFile(temp, bytes);
		await rename(temp, path);
	} catch (error) {
		await rm(temp, { force: true });
		throw error;
	}
}

export async function writeItemsArrow(path: string, items: readonly Item[]): Promise<void> {
	await writeFileAtomic(path, itemsToArrowStream(items));
}

/** The items table at `path` (a link to one is followed; a FIFO, socket or device is refused by name, never waited on). */
export async function readItemsArrow(path: string, filter: ItemsFilter = {}): Promise<Item[]> {
	return itemsFromArrowStream(await readRegularFileAsync(path), filter);
}

// Reading benchmark items from a folder on disk, in either layout (or both at once):
//  - packed JSON Lines records, as in ../shared/coveval (`origin_path` + `code` per record);
//  - the upstream repositories' own trees: one .c/.py file per program under
//    datasets/CoV-Eval_v1/… (a clone of MurrayTom/CoV-Eval) and, for the Pearce et al.
//    programs, experiments_dow/<cwe>/<scenario>/gen_scenario/… with dow_results.csv beside.
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { collectItems } from '../../core/items/collect.ts';
import type { Item } from '../../core/items/item.ts';
import { parseJsonLines } from '../../core/items/json-records.ts';
import { makeItem } from '../../core/items/make-item.ts';
import { classifyOriginPath, ITEM_KINDS, type OriginInfo } from '../../core/items/origin-path.ts';
import { itemsFromRecords } from '../../core/items/from-records.ts';
import { parseDowResults, pearceLabel, type PearceLabelTable } from '../../core/items/pearce-labels.ts';
import { RecordError } from '../../core/items/record-error.ts';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';

/** A file's text (as readFile(…, 'utf8')); a FIFO, socket or device swapped in is refused by name, never waited on. */
async function readText(file: string): Promise<string> {
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await readRegularFileAsync(file));
}

export interface LoadedItems {
	items: Item[];
	/** Programs recognised but not imported, by kind ('train-set', 'pearce-scenario', 'unrecognised'). */
	skipped: Record<string, number>;
	/** Identical programs met twice (dropped). */
	duplicates: number;
	jsonlFiles: number;
	programFiles: number;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.svelte-kit', '__pycache__']);

export async function loadItemsFromFolder(root: string): Promise<LoadedItems> {
	const files = await listFiles(root);
	const items: Item[] = [];
	const skipped: Record<string, number> = {};
	const skip = (kind: string) => (skipped[kind] = (skipped[kind] ?? 0) + 1);
	const pearcePrograms: Array<{ info: OriginInfo; code: string; file: string }> = [];
	let dowResults: { table: PearceLabelTable; file: string } | null = null;
	let jsonlFiles = 0;
	let programFiles = 0;

	for (const file of files) {
		const name = file.toLowerCase();
		if (name.endsWith('.jsonl')) {
			jsonlFiles++;
			const converted = itemsFromRecords(parseJsonLines(await readText(file), file));
			items.push(...converted.items);
			for (const [kind, n] of Object.entries(converted.skipped)) skipped[kind] = (skipped[kind] ?? 0) + n;
		} else if (name.endsWith('.c') || name.endsWith('.py')) {
			let info: OriginInfo | null;
			try {
				// Classify the absolute path so a root inside a clone (…/datasets/CoV-Eval_v1) still works.
				info = classifyOriginPath(file.split(sep).join('/'));
			} catch (error) {
				throw new RecordError(file, null, null, (error as Error).message);
			}
			if (info === null) {
				skip('unrecognised');
				continue;
			}
			if (!ITEM_KINDS.includes(info.kind)) {
				skip(info.kind);
				continue;
			}
			programFiles++;
			const code = await readText(file);
			if (info.kind === 'pearce') pearcePrograms.push({ info, code, file });
			else items.push(makeItem({ info, code, originPath: info.upstreamPath }));
		} else if (name.endsWith('dow_results.csv')) {
			if (dowResults) throw new RecordError(file, null, null, `a second dow_results.csv (the first was ${dowResults.file})`);
			dowResults = { table: parseDowResults(await readText(file), file), file };
		}
	}

	if (pearcePrograms.length > 0) {
		if (!dowResults) {
			throw new RecordError(pearcePrograms[0].file, null, null, 'Pearce programs found but no dow_results.csv to label them with');
		}
		for (const { info, code, file } of pearcePrograms) {
			const folder = `experiments_dow/${info.cwe.toLowerCase()}/${info.scenario}`;
			try {
				const label = pearceLabel(dowResults.table, folder, code);
				items.push(makeItem({ info, code, originPath: info.upstreamPath, label }));
			} catch (error) {
				throw new RecordError(file, 1, null, (error as Error).message);
			}
		}
	}

	const collected = collectItems(items);
	return { items: collected.items, skipped, duplicates: collected.duplicates, jsonlFiles, programFiles };
}

/** Every file under root, depth first, in name order (so results do not depend on the file system). */
async function listFiles(root: string): Promise<string[]> {
	const entries = await readdir(root, { withFileTypes: true });
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const files: string[] = [];
	for (const entry of entries) {
		const full = join(root, entry.name);
		if (entry.isDirectory()) {
			if (!SKIPPED_DIRS.has(entry.name)) files.push(...(await listFiles(full)));
		} else if (entry.isFile()) files.push(full);
	}
	return files;
}

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type DataFileFormat = 'csv' | 'jsonl' | 'arrow';

export interface DataFileRef {
	/** Relative to the data folder, forward slashes. */
	relativePath: string;
	absolutePath: string;
	format: DataFileFormat;
}

const FORMAT_BY_EXTENSION: Record<string, DataFileFormat> = {
	csv: 'csv',
	jsonl: 'jsonl',
	arrow: 'arrow',
	arrows: 'arrow'
};

export function formatOf(fileName: string): DataFileFormat | undefined {
	const dot = fileName.lastIndexOf('.');
	if (dot <= 0) return undefined;
	return FORMAT_BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()];
}

/**
 * Every data file under `root`, sorted by relative path so that table-name clashes are
 * always resolved the same way (the first in this order wins).
 *
 * Skipped: the top-level `templates/` folder (prompt templates, not tables), every dot-file
 * and dot-folder (`.git`, editor temp files, our own `.trash`). Symbolic links to files are
 * followed; symbolic links to folders are not (no cycles, no wandering out of the tree).
 * A missing root yields no files rather than an error: a fresh clone may have no datasets/.
 */
export async function findDataFiles(root: string): Promise<DataFileRef[]> {
	const found: DataFileRef[] = [];
	await walk(root, '', found);
	found.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
	return found;
}

async function walk(absoluteDir: string, relativeDir: string, found: DataFileRef[]): Promise<void> {
	let entries;
	try {
		entries = await readdir(absoluteDir, { withFileTypes: true });
	} catch (error) {
		if (relativeDir === '' && isMissing(error)) return;
		throw error;
	}
	for (const entry of entries) {
		if (entry.name.startsWith('.')) continue;
		const absolutePath = join(absoluteDir, entry.name);
		const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
		if (entry.isDirectory()) {
			if (relativeDir === '' && entry.name === 'templates') continue;
			await walk(absolutePath, relativePath, found);
			continue;
		}
		const format = formatOf(entry.name);
		if (!format) continue;
		if (entry.isSymbolicLink()) {
			const target = await stat(absolutePath).catch(() => undefined);
			if (!target?.isFile()) continue;
		} else if (!entry.isFile()) {
			continue;
		}
		found.push({ relativePath, absolutePath, format });
	}
}

function isMissing(error: unknown): boolean {
	return (error as { code?: string } | null)?.code === 'ENOENT';
}

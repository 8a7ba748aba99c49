// The server's long-lived objects, created on first use from the configured folders.
import { DataFolder } from './datasets/index.ts';
import { NotebookStore } from './notebooks/index.ts';
import { Labelling } from './labels/index.ts';
import { dataDir, notebooksDir } from './paths.ts';

let folder: DataFolder | null = null;
let store: NotebookStore | null = null;

export function notebookStore(): NotebookStore {
	store ??= new NotebookStore(notebooksDir());
	return store;
}

export function dataFolder(): DataFolder {
	folder ??= new DataFolder(dataDir());
	return folder;
}

let labels: Labelling | null = null;

/** Human labels (labels/labels.jsonl in the data folder) and the targets to label. */
export function labelling(): Labelling {
	labels ??= new Labelling(dataDir(), dataFolder());
	return labels;
}

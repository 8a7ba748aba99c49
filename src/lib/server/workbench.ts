// The server's long-lived objects, created on first use from the configured folders.
import { DataFolder } from './datasets/index.ts';
import { NotebookStore } from './notebooks/index.ts';
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

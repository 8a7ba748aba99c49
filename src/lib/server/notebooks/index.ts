export {
	NOTEBOOK_MAX_BYTES,
	NotebookStore,
	defaultNotebookFolder,
	versionOf,
	type NotebookFile,
	type NotebookSummary
} from './notebook-store.ts';
export {
	ConflictError,
	InvalidNotebookNameError,
	NotebookConflictMarkersError,
	NotebookExistsError,
	NotebookNotFoundError,
	NotebookTooLargeError
} from './notebook-errors.ts';
export { NOTEBOOK_NAME_PATTERN, checkNotebookName, notebookPath } from './notebook-name.ts';
export { frontMatterTitle } from './front-matter-title.ts';

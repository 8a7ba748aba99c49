export {
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
	NotebookNotFoundError
} from './notebook-errors.ts';
export { NOTEBOOK_NAME_PATTERN, checkNotebookName, notebookPath } from './notebook-name.ts';
export { frontMatterTitle } from './front-matter-title.ts';

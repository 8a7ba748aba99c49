// The cell editor the user last worked in, so the schema browser can insert a table or column
// name there (clicking the sidebar takes the focus away from the editor first). Type-only
// CodeMirror import: the editors load CodeMirror themselves, after the first paint.
import type { EditorView } from '@codemirror/view';

let last: EditorView | null = null;

/** Called by an editor when it gets the focus (editor/cell-editor.ts). */
export function editorFocused(view: EditorView): void {
	last = view;
}

/** Inserts text at the last focused editor's cursor (replacing its selection); false if none. */
export function insertIntoEditor(text: string): boolean {
	if (!last || !last.dom.isConnected) return false;
	last.dispatch(last.state.replaceSelection(text));
	last.focus();
	return true;
}

// The cell editor the user last worked in, so the schema browser can insert a table or column
// name there (clicking the sidebar takes the focus away from the editor first).
import { EditorView } from '@codemirror/view';

let last: EditorView | null = null;

/** An editor extension: remembers this editor when it gets the focus. */
export const rememberFocus = EditorView.domEventHandlers({
	focus: (_event, view) => {
		last = view;
		return false;
	}
});

/** Inserts text at the last focused editor's cursor (replacing its selection); false if none. */
export function insertIntoEditor(text: string): boolean {
	if (!last || !last.dom.isConnected) return false;
	last.dispatch(last.state.replaceSelection(text));
	last.focus();
	return true;
}

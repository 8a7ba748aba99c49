// A cell's CodeMirror editor, built here so the page loads CodeMirror (its parsers, highlighting,
// completion and spec help) only when an editor is created: after the notebook's first paint
// (editor-gate.ts), not before it. CodeEditor.svelte imports this module dynamically.
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { Annotation, Prec } from '@codemirror/state';
import { sql } from '@codemirror/lang-sql';
import { json } from '@codemirror/lang-json';
import { sqlSchemaCompletion } from '../sql-completion.ts';
import { editorFocused } from '../editor-focus.ts';
import { specHelp } from './spec-help.ts';
import type { JsonSchema } from '../../notebook/cells/schemas.ts';
import type { SpecError } from '../../notebook/plot-spec.ts';

/** A JSON kind's schema and parser, for its spec help. */
export interface SpecSupport {
	schema: JsonSchema;
	parse: (source: string) => { errors: SpecError[] };
}

export interface CellEditorOptions {
	parent: HTMLElement;
	doc: string;
	language: 'sql' | 'json' | 'markdown';
	spec?: SpecSupport;
	/** The user's edits only (not a document replaced by setValue). */
	onchange: (value: string) => void;
	onrun: () => void;
}

export interface CellEditor {
	view: EditorView;
	/** Replaces the document from outside (no onchange), unless it reads the same in the editor. */
	setValue(value: string): void;
	destroy(): void;
}

/** Marks a document replaced from outside (a reload), which is not the user's edit. */
const fromOutside = Annotation.define<boolean>();

const rememberFocus = EditorView.domEventHandlers({
	focus: (_event, view) => {
		editorFocused(view);
		return false;
	}
});

export function createCellEditor(options: CellEditorOptions): CellEditor {
	const { language, spec } = options;
	const languageSupport = language === 'sql' ? [sql(), sqlSchemaCompletion] : language === 'json' ? [json()] : [];
	const view = new EditorView({
		doc: options.doc,
		parent: options.parent,
		extensions: [
			basicSetup,
			...languageSupport,
			rememberFocus,
			...(spec ? [specHelp(spec.schema, spec.parse)] : []),
			EditorView.lineWrapping,
			Prec.highest(
				keymap.of([
					{
						key: 'Shift-Enter',
						run: () => {
							options.onrun();
							return true;
						}
					}
				])
			),
			EditorView.updateListener.of((update) => {
				if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromOutside))) {
					options.onchange(update.state.doc.toString());
				}
			})
		]
	});
	return {
		view,
		// Compared as the editor would show `value` (its line endings normalised), so a CR or
		// CRLF is not a change.
		setValue(value: string) {
			if (view.state.toText(value).toString() !== view.state.doc.toString()) {
				view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, annotations: fromOutside.of(true) });
			}
		},
		destroy: () => view.destroy()
	};
}

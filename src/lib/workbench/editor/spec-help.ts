// Help inside a JSON spec editor, from the kind's JSON Schema (notebook/cells/schemas.ts):
// completion of keys and enum values at the cursor, hover docs on keys and values, and the
// kind's own parse errors underlined on their lines (the same messages the cell shows on run).
// Built on what the editor already loads (lang-json's parser, @codemirror/view and state): no
// new dependency.
import { jsonLanguage } from '@codemirror/lang-json';
import { Decoration, EditorView, ViewPlugin, hoverTooltip, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import type { EditorState, Extension } from '@codemirror/state';
import { schemaAt, type JsonSchema } from '../../notebook/cells/schemas.ts';
import type { SpecError } from '../../notebook/plot-spec.ts';

interface SyntaxNode {
	name: string;
	from: number;
	to: number;
	parent: SyntaxNode | null;
	getChild(name: string): SyntaxNode | null;
}

const tree = (state: EditorState) => jsonLanguage.parser.parse(state.doc.toString());
const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, s.endsWith('"') && s.length > 1 ? -1 : undefined) : s);

/**
 * Where `pos` is in the spec: the keys of the enclosing properties ('[]' for array items),
 * outermost first, and whether a key or a value goes there.
 */
export function specPosition(state: EditorState, pos: number): { path: string[]; at: 'key' | 'value' | null; node: SyntaxNode } {
	const node = tree(state).resolveInner(pos, -1) as unknown as SyntaxNode;
	const path: string[] = [];
	let at: 'key' | 'value' | null = null;
	for (let n: SyntaxNode | null = node; n; n = n.parent) {
		if (n.name === 'Property') {
			const key = n.getChild('PropertyName');
			if (key && pos >= key.from && pos <= key.to) at ??= 'key';
			else if (key) {
				at ??= 'value';
				path.unshift(unquote(state.doc.sliceString(key.from, key.to)));
			}
		} else if (n.name === 'Array') {
			at ??= 'value';
			path.unshift('[]');
		} else if (n.name === 'Object') {
			at ??= 'key';
		}
	}
	return { path, at, node };
}

function describe(schema: JsonSchema): string {
	const parts = [schema.description ?? ''];
	if (schema.enum && schema.enum.length <= 30) parts.push(`one of: ${schema.enum.join(', ')}`);
	const example = schema.examples?.find((e) => !(e && typeof e === 'object' && 'help' in e));
	if (example !== undefined) parts.push(`e.g. ${JSON.stringify(example)}`);
	return parts.filter(Boolean).join('\n');
}

interface CompletionContext {
	state: EditorState;
	pos: number;
	explicit: boolean;
	matchBefore(expr: RegExp): { from: number; to: number; text: string } | null;
}

/** Completion source: keys of the object at the cursor, or enum values of the key whose value is typed. */
export function specCompletions(schema: JsonSchema) {
	return (context: CompletionContext) => {
		const word = context.matchBefore(/"?[\w\-/.]*/);
		if (!word || (word.from === word.to && !context.explicit)) return null;
		const { path, at } = specPosition(context.state, context.pos);
		if (!at) return null;
		const quoted = word.text.startsWith('"');
		if (at === 'key') {
			const object = schemaAt(schema, path);
			if (!object?.properties) return null;
			return {
				from: word.from,
				options: Object.entries(object.properties).map(([key, s]) => ({
					label: `"${key}"`,
					displayLabel: key,
					apply: `"${key}": `,
					detail: s.enum ? s.enum.slice(0, 3).join(' | ') : typeof s.type === 'string' ? s.type : undefined,
					info: describe(s),
					type: 'property'
				})),
				validFor: /^"?[\w-]*$/
			};
		}
		const value = schemaAt(schema, path);
		if (!value?.enum) return null;
		return {
			from: word.from,
			options: value.enum.map((v) => ({
				label: typeof v === 'string' ? `"${v}"` : String(v),
				displayLabel: String(v),
				info: describe(value),
				type: 'enum'
			})),
			validFor: quoted ? /^"[\w\-/.]*"?$/ : /^[\w\-/."]*$/
		};
	};
}

/** Hover docs: a key's description, or what a value of an enum means. */
export function specHover(schema: JsonSchema): Extension {
	return hoverTooltip((view, pos) => {
		const { path, at, node } = specPosition(view.state, pos);
		let text = '';
		if (at === 'key' && node.name === 'PropertyName') {
			const key = unquote(view.state.doc.sliceString(node.from, node.to));
			const s = schemaAt(schema, [...path, key]);
			if (s) text = `${key}: ${describe(s)}`;
		} else if (at === 'value' && node.name === 'String') {
			const s = schemaAt(schema, path);
			const value = unquote(view.state.doc.sliceString(node.from, node.to));
			const example = (s?.examples as { name?: string; help?: string }[] | undefined)?.find((e) => e?.name === value);
			if (example?.help) text = `${value}: ${example.help}`;
			else if (s?.enum?.includes(value)) text = `${value} — ${s.description ?? ''}`;
		}
		if (!text) return null;
		return {
			pos: node.from,
			end: node.to,
			above: true,
			create: () => {
				const dom = document.createElement('div');
				dom.className = 'cm-spec-doc';
				dom.textContent = text; // text, never HTML
				return { dom };
			}
		};
	});
}

/** The kind's parse errors underlined on their lines, with the message as the line's title. */
export function specErrors(parse: (source: string) => { errors: SpecError[] }): Extension {
	const mark = (view: EditorView): DecorationSet => {
		const { errors } = parse(view.state.doc.toString());
		const lines = new Map<number, string[]>();
		for (const e of errors) {
			const line = Math.min(Math.max(e.line ?? 1, 1), view.state.doc.lines);
			lines.set(line, [...(lines.get(line) ?? []), e.message]);
		}
		return Decoration.set(
			[...lines].sort((a, b) => a[0] - b[0]).map(([line, messages]) =>
				Decoration.line({ class: 'cm-spec-error', attributes: { title: messages.join('\n'), 'data-spec-error': messages.join('\n') } }).range(view.state.doc.line(line).from)
			)
		);
	};
	return [
		ViewPlugin.fromClass(
			class {
				decorations: DecorationSet;
				constructor(view: EditorView) {
					this.decorations = mark(view);
				}
				update(update: ViewUpdate) {
					if (update.docChanged) this.decorations = mark(update.view);
				}
			},
			{ decorations: (v) => v.decorations }
		),
		EditorView.baseTheme({
			'.cm-spec-error': { textDecoration: 'underline wavy #b3261e', textDecorationSkipInk: 'none', backgroundColor: '#fdecea80' },
			'.cm-spec-doc': { padding: '0.3em 0.6em', maxWidth: '28em', whiteSpace: 'pre-wrap', fontSize: '12px' }
		})
	];
}

/** Everything above for one kind's schema and parser. */
export function specHelp(schema: JsonSchema, parse: (source: string) => { errors: SpecError[] }): Extension {
	return [jsonLanguage.data.of({ autocomplete: specCompletions(schema) }), specHover(schema), specErrors(parse)];
}

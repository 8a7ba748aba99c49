// SQL autocomplete that knows the page's tables, views and columns (read from DuckDB when the
// completion opens, cached for a few seconds), on top of lang-sql's keyword completion: table
// names anywhere, `t.` completes t's columns, and the columns of every table the query names
// complete unqualified. Also replaces the completion icons (emoji and rare glyphs that render
// as empty boxes in many fonts) with plain letters.
import { schemaCompletionSource, StandardSQL } from '@codemirror/lang-sql';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { EditorView } from '@codemirror/view';
import { schemaColumns } from './schema.ts';
import { sqlName } from './sql-name.ts';

const TTL_MS = 3000;
let cached: { at: number; schema: Promise<Record<string, string[]>> } | null = null;

function currentSchema(): Promise<Record<string, string[]>> {
	if (!cached || Date.now() - cached.at > TTL_MS) cached = { at: Date.now(), schema: schemaColumns().catch(() => ({})) };
	return cached.schema;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Inside a line or block comment or a '…' string: no completion there (lang-sql's keywords skip them too). */
function inCommentOrString(ctx: CompletionContext): boolean {
	return ctx.tokenBefore(['LineComment', 'BlockComment', 'String']) !== null;
}

/** Completions from a schema (table → columns) for the text at ctx. Exported for tests. */
export async function completeFromTables(ctx: CompletionContext, schema: Record<string, string[]>): Promise<CompletionResult | null> {
	if (inCommentOrString(ctx)) return null;
	const base = (await schemaCompletionSource({ schema, dialect: StandardSQL })(ctx)) as CompletionResult | null;
	if (ctx.matchBefore(/\.\w*$/)) return base; // t.<column>: lang-sql's member completion
	const word = ctx.matchBefore(/\w+/);
	if (!word && !ctx.explicit) return base;
	const doc = ctx.state.doc.toString();
	const named = Object.keys(schema).filter((t) => new RegExp(`(^|[^\\w])"?${escapeRegExp(t)}"?([^\\w]|$)`, 'i').test(doc));
	const seen = new Set((base?.options ?? []).map((o) => o.label));
	const columns: Completion[] = [];
	for (const table of named) {
		for (const column of schema[table]) {
			if (seen.has(column)) continue;
			seen.add(column);
			columns.push({ label: sqlName(column), type: 'property', detail: table, boost: 1 });
		}
	}
	if (!base && columns.length === 0) return null;
	return { from: word?.from ?? ctx.pos, options: [...(base?.options ?? []), ...columns], validFor: /^\w*$/ };
}

const iconTheme = EditorView.theme({
	'.cm-completionIcon': { width: '1.1em', opacity: '0.85', fontSize: '80%', fontFamily: 'system-ui, sans-serif', fontWeight: '700' },
	'.cm-completionIcon-keyword:after': { content: "'K'", color: '#7c3aed' },
	'.cm-completionIcon-type:after': { content: "'T'", color: '#1f4e79' },
	'.cm-completionIcon-property:after': { content: "'C'", color: '#0f766e' },
	'.cm-completionIcon-namespace:after': { content: "'S'", color: '#6b7280' },
	'.cm-completionIcon-variable:after': { content: "'V'", color: '#b45309' },
	'.cm-completionIcon-function:after, .cm-completionIcon-method:after': { content: "'F'", color: '#b45309' },
	'.cm-completionIcon-class:after, .cm-completionIcon-interface:after, .cm-completionIcon-constant:after, .cm-completionIcon-enum:after': {
		content: "'·'"
	},
	'.cm-completionIcon-text:after': { content: "'A'", fontSize: '100%', verticalAlign: 'baseline' }
});

/** Extensions for a SQL cell's editor (add after `sql()`). */
export const sqlSchemaCompletion = [StandardSQL.language.data.of({ autocomplete: (ctx: CompletionContext) => currentSchema().then((schema) => completeFromTables(ctx, schema)) }), iconTheme];

// The reference page's example tables (notebook/cells/plot-examples.ts) as Arrow tables, the form a
// notebook's plot reads from DuckDB, so each example is drawn by the same plot code as a notebook.
import { tableFromIPC } from 'apache-arrow';
import { columnsToIPC } from '$lib/arrow/columns-to-ipc.ts';
import type { ResultTable } from '$lib/notebook/executor.ts';
import { EXAMPLE_TABLES } from '$lib/notebook/cells/plot-examples.ts';

const cache = new Map<string, ResultTable>();

export function exampleTable(name: string): ResultTable | undefined {
	const source = EXAMPLE_TABLES[name];
	if (!source) return undefined;
	if (!cache.has(name)) {
		// Through IPC, as the workbench builds tables: apache-arrow's builders need eval, which the page's CSP refuses.
		cache.set(name, tableFromIPC(columnsToIPC(source.columns)) as unknown as ResultTable);
	}
	return cache.get(name);
}

/** JSON on one line with a space after each colon and comma, as the notebooks write it. */
const oneLine = (value: unknown) =>
	JSON.stringify(value, null, 1)
		.replace(/\n\s*/g, ' ')
		.replace(/([{[]) /g, '$1')
		.replace(/ ([}\]])/g, '$1');

/** A plot spec as a notebook writes it: one mark per line, then one option per line. */
export function cellBody(spec: { marks: unknown[]; [option: string]: unknown }): string {
	const { marks, ...options } = spec;
	const lines = [`  "marks": [\n${marks.map((m) => `    ${oneLine(m)}`).join(',\n')}\n  ]`];
	for (const [key, value] of Object.entries(options)) lines.push(`  ${JSON.stringify(key)}: ${oneLine(value)}`);
	return `{\n${lines.join(',\n')}\n}`;
}

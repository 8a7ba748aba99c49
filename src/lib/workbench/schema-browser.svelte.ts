// The schema browser's state (which sidebar tables are open) and its one action: put a table
// or column name into the cell editor last used, quoted when SQL needs it.
import { insertIntoEditor } from './editor-focus.ts';

// Words DuckDB will not take as a bare column or table name (the ones benchmark tables use).
const RESERVED = new Set(['group', 'order', 'select', 'from', 'where', 'table', 'user', 'default', 'limit', 'offset', 'using', 'check', 'column', 'case', 'end', 'all', 'any', 'as', 'by', 'to', 'in', 'on', 'is', 'not', 'null', 'and', 'or', 'desc', 'asc', 'having', 'window', 'with', 'union']);

/** A name as it must be written in SQL. */
export function sqlName(name: string): string {
	return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

class SchemaBrowser {
	open = $state<string[]>([]);
	message = $state('');

	toggle(name: string): void {
		this.open = this.open.includes(name) ? this.open.filter((n) => n !== name) : [...this.open, name];
	}

	insert(name: string): void {
		this.message = insertIntoEditor(sqlName(name)) ? '' : 'Click into a cell’s editor first: the name goes where its cursor is.';
	}
}

export const schemaBrowser = new SchemaBrowser();

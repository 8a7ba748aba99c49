// The schema browser's state (which sidebar tables are open) and its one action: put a table
// or column name into the cell editor last used, quoted when SQL needs it.
import { insertIntoEditor } from './editor-focus.ts';
import { sqlName } from './sql-name.ts';

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

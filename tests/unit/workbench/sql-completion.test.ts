// SQL completion from the page's schema: table names, t.<column>, and the columns of the
// tables a query names (quoted when SQL needs it).
import { CompletionContext } from '@codemirror/autocomplete';
import { sql } from '@codemirror/lang-sql';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { completeFromTables } from '../../../src/lib/workbench/sql-completion.ts';

const SCHEMA = { paper_table1: ['model', 'group', 'cc_total_sr1'], items: ['item_id', 'Mixed Case'] };

async function labels(doc: string, explicit = false): Promise<string[]> {
	const state = EditorState.create({ doc, extensions: [sql()] });
	const result = await completeFromTables(new CompletionContext(state, doc.length, explicit), SCHEMA);
	return (result?.options ?? []).map((o) => o.label);
}

describe('completeFromTables', () => {
	it('completes table names', async () => {
		expect(await labels('SELECT * FROM pap')).toContain('paper_table1');
	});

	it("completes a named table's columns unqualified, and not other tables' columns", async () => {
		const options = await labels('SELECT cc FROM paper_table1 WHERE cc');
		expect(options).toEqual(expect.arrayContaining(['model', '"group"', 'cc_total_sr1']));
		expect(options).not.toContain('item_id');
	});

	it('quotes a column name SQL cannot take bare', async () => {
		expect(await labels('SELECT Mi FROM items WHERE Mi')).toContain('"Mixed Case"');
	});

	it('completes t.<column>', async () => {
		expect(await labels('SELECT paper_table1.')).toEqual(expect.arrayContaining(['model', 'cc_total_sr1']));
	});

	it('offers nothing inside a -- comment, a /* */ comment or a string, even when asked', async () => {
		for (const doc of ['SELECT 1 -- pap', 'SELECT 1 -- FROM paper_table1 WHERE mo', 'SELECT 1 /* pap', "SELECT * FROM paper_table1 WHERE model = 'pap"]) {
			expect(await labels(doc), doc).toEqual([]);
			expect(await labels(doc, true), doc).toEqual([]);
		}
		// Past the comment's end, completion is back.
		expect(await labels('SELECT 1 -- a note\nFROM pap')).toContain('paper_table1');
		expect(await labels("SELECT 'x' FROM pap")).toContain('paper_table1');
	});
});

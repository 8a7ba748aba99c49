// sql cells in the user's terms, against duckdb-wasm's Node bundle (the browser's engine):
// DESCRIBE / SUMMARIZE / SHOW run in a cell, and an error quotes the cell's SQL once with the
// cell's own line numbers — not the CREATE VIEW wrapper, not the file's lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { runNotebook } from '../../../src/lib/notebook/executor.ts';
import { cellSqlError, missingTableHint, viewBody } from '../../../src/lib/notebook/sql-cell-errors.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../src/lib/node/headless/engine.ts';

let engine: HeadlessEngine;
beforeAll(async () => {
	engine = await createHeadlessEngine();
	await engine.exec("CREATE TABLE scores AS SELECT 'm1' AS model, 0.5 AS rate UNION ALL SELECT 'm2', 0.7");
}, 60_000);
afterAll(() => engine?.close());

const notebook = (...cells: string[]) => parseNotebook(['---', 'title: t', '---', '', ...cells.flatMap((c) => [c, ''])].join('\n'));

describe('introspection statements in a cell', () => {
	it('DESCRIBE, SUMMARIZE and SHOW TABLES run and become views other cells read', async () => {
		const doc = notebook(
			'```sql id=d\nDESCRIBE scores\n```',
			'```sql id=s\nsummarize scores -- with a comment\n```',
			'```sql id=t\nSHOW TABLES;\n```',
			'```sql id=cols\nSELECT column_name FROM d ORDER BY 1\n```'
		);
		const { results } = await runNotebook(doc, engine);
		expect(results.map((r) => [r.cellId, r.status, r.error?.message])).toEqual([
			['d', 'ok', undefined],
			['s', 'ok', undefined],
			['t', 'ok', undefined],
			['cols', 'ok', undefined]
		]);
		expect(results[1].rowCount).toBe(2);
		expect(results[3].table!.getChild('column_name')!.toArray()).toEqual(['model', 'rate']);
		expect(Array.from(results[2].table!.getChild('name')!.toArray())).toContain('scores');
	});

	it('leaves other statements alone', () => {
		expect(viewBody('SELECT 1')).toBe('SELECT 1');
		expect(viewBody('describe t')).toBe('SELECT * FROM (describe t\n)');
		expect(viewBody('DESCRIPTION_TABLE')).toBe('DESCRIPTION_TABLE');
	});
});

describe('SQL errors in the cell’s terms', () => {
	it('a binder error names the cell line and points at the column, once, without the wrapper', async () => {
		const doc = notebook('```sql id=first\nSELECT 1 AS one\n```', '```sql id=bad\nSELECT model,\n       no_such_column\nFROM scores\n```');
		const { results } = await runNotebook(doc, engine);
		const error = results[1].error!;
		expect(error.quotesSource).toBe(true);
		expect(error.message).not.toMatch(/CREATE|VIEW|LINE \d/);
		expect(error.message).toContain('Referenced column "no_such_column" not found');
		expect(error.message).toContain(['line 2 of the cell:', '1 | SELECT model,', '2 |        no_such_column', '  |        ^', '3 | FROM scores'].join('\n'));
		// The file line is still known to the CLI: the notebook's line 11.
		expect(error.line).toBe(11);
	});

	it('a parser error (which DuckDB reports with two LINE blocks) is quoted once', async () => {
		const { results } = await runNotebook(notebook('```sql id=bad\nSELECT a,\n  b +\n FROM scores\n```'), engine);
		const message = results[0].error!.message;
		expect(message.match(/FROM scores/g)).toHaveLength(1);
		expect(message).toContain('3 |  FROM scores\n  |  ^');
	});

	it('DuckDB truncating a long line ("...") still places the caret', () => {
		const executed = `CREATE OR REPLACE VIEW "v" AS SELECT ${'x, '.repeat(40)}oops FROM t`;
		const column = executed.indexOf('oops');
		const context = executed.slice(column - 60, column + 10);
		const raw = `Binder Error: nope\nLINE 1: ...${context}...\n${' '.repeat('LINE 1: ...'.length + 60)}^`;
		const source = executed.slice('CREATE OR REPLACE VIEW "v" AS '.length);
		const { message, cellLine } = cellSqlError(raw, { executed, prefixLength: 'CREATE OR REPLACE VIEW "v" AS '.length, source, statementStart: 0 });
		expect(cellLine).toBe(1);
		const [, caretLine] = message.split('line 1 of the cell:\n')[1].split('\n');
		expect(caretLine.indexOf('^') - '1 | '.length).toBe(source.indexOf('oops'));
	});

	it('a missing benchmark table says how to import it', async () => {
		const { results } = await runNotebook(notebook('```sql id=x\nSELECT * FROM items\n```'), engine);
		expect(results[0].error!.message).toContain('covw data import path/to/CoV-Eval');
		expect(missingTableHint('Catalog Error: Table with name my_table does not exist!')).toBeNull();
		expect(missingTableHint('Catalog Error: Table with name vul_evol_filters does not exist!')).toContain('covw evolve');
	});
});

describe('plain messages', () => {
	it("drop DuckDB's suggestion of its own catalog tables, keep real ones", async () => {
		const { plainSqlError } = await import('../../../src/lib/notebook/sql-cell-errors.ts');
		expect(plainSqlError('Catalog Error: Table with name itemz does not exist!\nDid you mean "sqlite_master"?')).toBe(
			'Catalog Error: Table with name itemz does not exist!'
		);
		expect(plainSqlError('Catalog Error: Table with name scorez does not exist!\nDid you mean "scores"?')).toContain('Did you mean "scores"?');
	});
});

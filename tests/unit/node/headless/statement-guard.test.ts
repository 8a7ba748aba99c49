// A sql cell holding COPY, ATTACH, SET… says the statement is not allowed in a notebook and why,
// instead of DuckDB's `Parser Error: syntax error at or near "COPY"` (which reads like a typo).
// The guard adds no permission and takes none away that worked: every statement it names fails
// in the real engine as a cell's view too; a query is still left to DuckDB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { runNotebook } from '../../../../src/lib/notebook/executor.ts';
import { parseNotebook } from '../../../../src/lib/notebook/format.ts';
import { refusedStatement } from '../../../../src/lib/notebook/sql-statement-guard.ts';
import { cellKind } from '../../../../src/lib/notebook/cells/index.ts';

let engine: HeadlessEngine;
let dir: string;
beforeAll(async () => {
	engine = await createHeadlessEngine();
	dir = mkdtempSync(join(tmpdir(), 'covw-guard-'));
});
afterAll(() => {
	engine.close();
	rmSync(dir, { recursive: true, force: true });
});

const statements = () => [
	`COPY (SELECT 1 AS a) TO '${dir}/out.csv'`,
	`ATTACH '${dir}/new.db' AS other`,
	'DETACH other',
	`EXPORT DATABASE '${dir}/db'`,
	'SET enable_external_access = true',
	'RESET enable_external_access',
	'PRAGMA enable_profiling',
	'INSTALL httpfs',
	'LOAD json',
	'CREATE TABLE t AS SELECT 1 AS a',
	'INSERT INTO t VALUES (1)',
	'DROP TABLE t',
	"CALL pragma_version()",
	'USE memory'
];

describe('sql statement guard', () => {
	it('names the statement and why it is refused', () => {
		expect(refusedStatement(`COPY (SELECT 1) TO 'x.csv'`)).toBe('COPY is not allowed in a notebook (notebooks cannot write or attach files)');
		expect(refusedStatement(`attach 'x.db'`)).toBe('ATTACH is not allowed in a notebook (notebooks cannot write or attach files)');
		expect(refusedStatement('SET threads = 1')).toBe("SET is not allowed in a notebook (notebooks cannot change the database's settings)");
		for (const query of ['SELECT 1', 'WITH a AS (SELECT 1) SELECT * FROM a', 'FROM t', 'DESCRIBE t', 'VALUES (1)', "SELECT 'COPY'", '"copy"']) {
			expect(refusedStatement(query), query).toBeNull();
		}
	});

	it('refuses nothing that ran before: each named statement fails as a cell view in the engine', async () => {
		for (const statement of statements()) {
			expect(refusedStatement(statement), statement).not.toBeNull();
			const error = await engine.exec(`CREATE OR REPLACE VIEW "guarded" AS ${statement}`).then(
				() => null,
				(e: Error) => e
			);
			expect(error, statement).not.toBeNull();
		}
	});

	it('a notebook cell says it, on the statement`s line, and the editor check says it too', async () => {
		const text = `---\ntitle: g\n---\n\`\`\`sql id=out\n-- write a file\nCOPY (SELECT 1 AS a) TO '${dir}/out.csv'\n\`\`\`\n\n\`\`\`sql id=ok\nSELECT 1 AS a\n\`\`\`\n`;
		const doc = parseNotebook(text);
		const { results } = await runNotebook(doc, engine);
		const out = results.find((r) => r.cellId === 'out')!;
		expect(out.status).toBe('error');
		expect(out.error?.message).toBe('sql cell "out": COPY is not allowed in a notebook (notebooks cannot write or attach files)');
		expect(out.error?.line).toBe(6);
		expect(results.find((r) => r.cellId === 'ok')!.status).toBe('ok');
		expect(cellKind('sql')!.parse(doc.cells.find((c) => c.id === 'out')!.source).errors).toEqual([
			{ message: 'COPY is not allowed in a notebook (notebooks cannot write or attach files)', line: 2 }
		]);
	});
});

import { describe, it, expect } from 'vitest';
import { sqlReferences } from '../../../src/lib/notebook/references.ts';
import { cellReferences } from '../../../src/lib/notebook/cells/index.ts';
import { tokenizeSql, splitStatements } from '../../../src/lib/notebook/sql-tokens.ts';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';

const names = (sql: string, ids: string[], self?: string) => sqlReferences(sql, ids, self).map((r) => r.name);

describe('sql tokenizer', () => {
	it('gives the input back when tokens are joined', () => {
		const sql = "SELECT 'it''s' AS \"a \"\"b\"\" c\", $$x$$, E'\\'' -- c\n/* a /* nested */ b */ FROM t;";
		expect(tokenizeSql(sql).map((t) => t.text).join('')).toBe(sql);
	});
	it('unescapes quoted identifiers', () => {
		expect(tokenizeSql('"a ""b"""').find((t) => t.type === 'quoted')?.name).toBe('a "b"');
	});
	it('splits statements only on top-level semicolons', () => {
		const { statements } = splitStatements("SELECT ';' -- ;\n; /* ; */ SELECT 2;  -- end");
		expect(statements.map((s) => s.text)).toEqual(["SELECT ';' -- ;\n", 'SELECT 2']);
		expect(statements.map((s) => s.start)).toEqual([0, 26]);
	});
	it('ends a -- comment at a lone CR as DuckDB does, so a second statement after it is seen', () => {
		const { statements } = splitStatements('SELECT 1 -- note\r; DROP TABLE t');
		expect(statements.map((s) => s.text)).toEqual(['SELECT 1 -- note\r', ' DROP TABLE t'.trim()]);
		expect(tokenizeSql('-- a\rb').map((t) => [t.type, t.text])).toEqual([['comment', '-- a'], ['space', '\r'], ['ident', 'b']]);
		expect(sqlReferences('SELECT 1 -- x\rFROM scores', ['scores']).map((r) => r.name)).toEqual(['scores']);
	});
});

describe('sqlReferences', () => {
	const ids = ['scores', 'ranks', 'Models'];
	it('finds ids case-insensitively, quoted or not', () => {
		expect(names('SELECT * FROM SCORES JOIN "ranks" USING (model)', ids)).toEqual(['SCORES', 'ranks']);
		expect(names('select * from models', ids)).toEqual(['models']);
	});
	it('skips strings, comments and dollar quotes', () => {
		expect(names("SELECT 'scores', $$ranks$$, E'\\'scores' FROM t -- scores\n/* ranks /* scores */ ranks */", ids)).toEqual([]);
	});
	it('skips columns of a qualifier, aliases, types, functions and CTE names', () => {
		expect(names('SELECT t.scores, x AS ranks, y::scores, ranks(1) FROM t', ids)).toEqual([]);
		expect(names('WITH ranks AS (SELECT 1) SELECT * FROM ranks, scores', ids)).toEqual(['scores']);
		expect(names('WITH a AS (SELECT 1), scores(x) AS MATERIALIZED (SELECT 2) SELECT * FROM scores', ids)).toEqual([]);
	});
	it('keeps main.<id> and excludes the cell itself', () => {
		expect(names('SELECT * FROM main.scores', ids)).toEqual(['scores']);
		expect(names('SELECT * FROM scores JOIN ranks USING (m)', ids, 'scores')).toEqual(['ranks']);
	});
	it('reports positions and lines within the source', () => {
		const sql = 'SELECT *\nFROM "scores"';
		expect(sqlReferences(sql, ids)).toEqual([{ name: 'scores', via: 'sql', start: 14, end: 22, line: 2 }]);
	});
});

describe('cellReferences', () => {
	const doc = parseNotebook(
		'```plot id=p from=a\n{"marks": [{"type": "dot", "x": "x"}, {"type": "line", "data": "b", "x": "x"}]}\n```\n\n```stats id=s from=c\n{}\n```\n\n```plot id=q\nnot json\n```\n'
	);
	it('plot: from= plus mark data', () => {
		expect(cellReferences(doc.cells[0], []).map((r) => [r.via, r.name, r.line])).toEqual([['from', 'a', 0], ['data', 'b', 1]]);
	});
	it('stats: from=', () => {
		expect(cellReferences(doc.cells[1], []).map((r) => r.name)).toEqual(['c']);
	});
	it('invalid plot JSON reads nothing', () => {
		expect(cellReferences(doc.cells[2], [])).toEqual([]);
	});
});

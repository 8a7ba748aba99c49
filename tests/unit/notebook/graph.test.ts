import { describe, it, expect } from 'vitest';
import { buildGraph } from '../../../src/lib/notebook/graph.ts';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';

/** A notebook from [kind+attrs, body] pairs, one blank line apart. */
const nb = (...cells: [string, string][]) => parseNotebook(cells.map(([info, body]) => '```' + info + '\n' + body + '\n```\n').join('\n'));
const ids = (doc: ReturnType<typeof nb>, indices: number[]) => indices.map((i) => doc.cells[i].id);

describe('order', () => {
	it('puts upstream first and keeps file order among independent cells', () => {
		const doc = nb(
			['plot id=p from=c', '{"marks": []}'],
			['sql id=c', 'SELECT * FROM b JOIN a USING (k)'],
			['sql id=x', 'SELECT 1'],
			['sql id=b', 'SELECT * FROM a'],
			['sql id=a', 'SELECT 1'],
			['stats id=s from=a', '{}']
		);
		const g = buildGraph(doc.cells, []);
		expect(ids(doc, g.order)).toEqual(['x', 'a', 'b', 'c', 'p', 's']);
		expect(ids(doc, g.upstream.get(1)!)).toEqual(['b', 'a']);
		expect(g.errors.size).toBe(0);
	});
	it('downstream of a cell, in run order', () => {
		const doc = nb(['sql id=a', 'SELECT 1'], ['sql id=b', 'SELECT * FROM a'], ['sql id=c', 'SELECT * FROM b'], ['sql id=d', 'SELECT 2'], ['plot id=p from=a', '{}']);
		const g = buildGraph(doc.cells);
		expect(ids(doc, g.downstream(0))).toEqual(['b', 'c', 'p']);
		expect(ids(doc, g.downstream(3))).toEqual([]);
		expect(g.indexOf('B')).toBe(1);
	});
});

describe('errors', () => {
	it('every cell on a cycle gets an error naming its cycle', () => {
		const doc = nb(['sql id=a', 'SELECT * FROM b'], ['sql id=b', 'SELECT * FROM a'], ['sql id=c', 'SELECT * FROM a'], ['sql id=z', 'SELECT 1']);
		const g = buildGraph(doc.cells);
		expect(g.errors.get(0)?.map((e) => e.message)).toEqual(['cycle: a → b → a']);
		expect(g.errors.get(1)?.map((e) => e.message)).toEqual(['cycle: b → a → b']);
		expect(g.errors.get(1)?.[0].line).toBe(doc.cells[1].line);
		expect(g.errors.has(2)).toBe(false); // downstream of a cycle: blocked at run time, not a cycle member
		expect(ids(doc, g.order)).toEqual(['a', 'b', 'c', 'z']);
	});
	it('a three-cell cycle is named in full', () => {
		const doc = nb(['sql id=a', 'SELECT * FROM c'], ['sql id=b', 'SELECT * FROM a'], ['sql id=c', 'SELECT * FROM b']);
		expect(buildGraph(doc.cells).errors.get(0)?.[0].message).toBe('cycle: a → c → b → a');
	});
	it('a missing from= or mark data is an error with its line; known tables resolve', () => {
		const doc = nb(['plot id=p from=nowhere', '{"marks": [{"type": "dot", "data": "paper_table1"},\n {"type": "dot", "data": "ghost"}]}'], ['stats id=s from=paper_table1', '{}']);
		const g = buildGraph(doc.cells, ['PAPER_TABLE1']);
		expect(g.errors.get(0)?.map((e) => [e.line, e.message])).toEqual([
			[1, 'from= "nowhere": no cell or table has that name'],
			[3, 'mark data "ghost": no cell or table has that name']
		]);
		expect(g.errors.has(1)).toBe(false);
	});
	it('reading a plot cell is an error; SQL never reports unknown names (any identifier may be a column)', () => {
		const doc = nb(['plot id=p', '{"marks": []}'], ['plot id=q from=p', '{}'], ['sql id=s', 'SELECT p FROM whatever']);
		const g = buildGraph(doc.cells);
		expect(g.errors.get(1)?.[0].message).toMatch(/"p" is a plot cell \(line 1\); it has no table/);
		expect(g.errors.has(2)).toBe(false);
		expect(g.upstream.get(2)).toEqual([]);
	});
});

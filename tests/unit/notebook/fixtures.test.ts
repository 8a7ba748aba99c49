import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNotebook, serializeNotebook } from '../../../src/lib/notebook/format.ts';
import { replaceCellSource, insertCell, renameCell } from '../../../src/lib/notebook/edit.ts';
import { runNotebook } from '../../../src/lib/notebook/executor.ts';
import { FakeEngine } from './fake-engine.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/notebooks/${name}`, import.meta.url)), 'utf8');

describe('fixture notebooks', () => {
	it('shapes.md: round trip, cells, lines', () => {
		const text = fixture('shapes.md');
		expect(text.endsWith('newline.')).toBe(true);
		const doc = parseNotebook(text);
		expect(serializeNotebook(doc)).toBe(text);
		expect(doc.frontMatter?.fields.title).toBe('Fixture — every shape the parser must keep');
		expect(doc.cells.map((c) => [c.kind, c.id, c.line])).toEqual([
			['markdown', null, 5],
			['sql', 'numbers', 11],
			['sql', 'evens', 16],
			['plot', 'chart', 20],
			['stats', 'agreement', 30],
			['markdown', null, 34]
		]);
		expect(doc.diagnostics).toEqual([]);
	});

	it('shapes.md: edits change only their lines', () => {
		const text = fixture('shapes.md');
		const edited = replaceCellSource(text, 2, 'SELECT * FROM numbers WHERE n > 3');
		expect(edited).toBe(text.replace('n > 2', 'n > 3'));
		const renamed = renameCell(text, 1, 'nums');
		expect(renamed.split('\n').filter((l, k) => l !== text.split('\n')[k])).toEqual([
			'```sql id=nums',
			'SELECT * FROM nums WHERE n > 2',
			'    {"type": "ruleY", "data": "nums", "y": "n"}',
			'```stats id=agreement from=nums'
		]);
	});

	it('shapes.md: runs against the fake engine', async () => {
		const engine = new FakeEngine({ seed_table: { n: [1, 2, 3, 4, 5], m: [2, 1, 3, 5, 4] } });
		const { results } = await runNotebook(parseNotebook(fixture('shapes.md')), engine);
		expect(results.map((r) => [r.cellId, r.status, r.rowCount])).toEqual([
			['numbers', 'ok', 5],
			['evens', 'ok', 3],
			['chart', 'ok', 3],
			['agreement', 'ok', 4]
		]);
	});

	it('crlf.md: edits keep CRLF', () => {
		const text = fixture('crlf.md');
		expect(serializeNotebook(parseNotebook(text))).toBe(text);
		const out = insertCell(text, 1, { kind: 'sql', id: 'two', source: 'SELECT 2\nFROM x' });
		expect(out).toBe(text + '```sql id=two\r\nSELECT 2\r\nFROM x\r\n```\r\n');
		expect(out.replaceAll('\r\n', '')).not.toContain('\n');
	});
});

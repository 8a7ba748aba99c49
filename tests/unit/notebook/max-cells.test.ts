// A notebook of more than MAX_CELLS cells (a 50 MB file of 1.2M tiny cells froze the tab,
// trial-red w9 #8) is read up to the cap; the rest of the file is kept unchanged, unread, and
// a warning names the line where reading stopped.
import { describe, expect, it } from 'vitest';
import { MAX_CELLS, parseNotebook, serializeNotebook } from '../../../src/lib/notebook/format.ts';

const cell = (k: number) => `\`\`\`sql id=c${k}\nSELECT ${k}\n\`\`\`\n`;

describe('MAX_CELLS', () => {
	it('is 2000', () => expect(MAX_CELLS).toBe(2000));

	it('reads a notebook of exactly MAX_CELLS cells whole', () => {
		const text = Array.from({ length: MAX_CELLS }, (_, k) => cell(k)).join('');
		const doc = parseNotebook(text);
		expect(doc.cells).toHaveLength(MAX_CELLS);
		expect(doc.diagnostics).toEqual([]);
	});

	it('stops at the cap, names the line, and keeps the rest of the file', () => {
		const text = '---\ntitle: big\n---\n' + Array.from({ length: 100_000 }, (_, k) => cell(k)).join('') + 'tail text\n';
		const doc = parseNotebook(text);
		expect(doc.cells).toHaveLength(MAX_CELLS);
		expect(doc.cells.at(-1)?.id).toBe(`c${MAX_CELLS - 1}`);
		const line = 3 + 3 * MAX_CELLS + 1; // front matter, then 3 lines a cell
		const warning = doc.diagnostics.find((d) => d.field === 'cells');
		expect(warning?.line).toBe(line);
		expect(warning?.message).toContain(`more than 2,000 cells: from line ${line} on`);
		// A file-level warning (review10 #2): on the last cell the page never showed it.
		expect(doc.cells.some((c) => c.diagnostics.includes(warning!))).toBe(false);
		expect(serializeNotebook(doc)).toBe(text);
	});

	it('blank lines between cells are no cell: the cap is reached exactly', () => {
		const text = Array.from({ length: 2500 }, (_, k) => cell(k) + '\n\n').join('');
		const doc = parseNotebook(text);
		expect(doc.cells).toHaveLength(MAX_CELLS);
		expect(serializeNotebook(doc)).toBe(text);
	});

	it('counts Markdown cells too, and keeps the Markdown before the cut with the rest', () => {
		const text = Array.from({ length: 3000 }, (_, k) => `prose ${k}\n\n` + cell(k)).join('');
		const doc = parseNotebook(text);
		expect(doc.cells).toHaveLength(MAX_CELLS);
		expect(doc.cells.at(-1)?.kind).toBe('sql');
		expect(doc.trailer.startsWith('prose 1000\n')).toBe(true);
		expect(serializeNotebook(doc)).toBe(text);
	});
});

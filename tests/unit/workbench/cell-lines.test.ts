// An error's line in a cell's own terms (the editor numbers the cell's source from 1), not the
// notebook file's: a plot spec error on file line 25 that the editor underlines on line 4.
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { cellLineLabel } from '../../../src/lib/workbench/cell-lines.ts';

const text = [
	'---', 'title: Lines', '---', '', 'Some words.', '',
	'```sql id=t', 'SELECT 1 AS x', '```', '',
	'```plot id=fig from=t', '{', '  "marks": [', '    {"type": "dot", "x": [50]}', '  ]', '}', '```', ''
].join('\n');

describe('cellLineLabel', () => {
	const doc = parseNotebook(text);
	const plot = doc.cells.find((c) => c.id === 'fig')!;
	it("says a line of the cell's source as the editor numbers it", () => {
		expect(plot.line).toBe(11);
		expect(cellLineLabel(plot, 14)).toBe('line 3 of the cell');
		expect(cellLineLabel(plot, 12)).toBe('line 1 of the cell');
		expect(cellLineLabel(plot, 16)).toBe('line 5 of the cell');
	});
	it('gives no line for the fence (the whole cell), and the file line for anything else', () => {
		expect(cellLineLabel(plot, 11)).toBeNull();
		expect(cellLineLabel(plot, 8)).toBe('line 8 of the file');
	});
});

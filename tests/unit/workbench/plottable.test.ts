// The plot-data wrapper over an Arrow result: Plot's group and bin transforms take each group's
// rows with at(i), so a groupX over a notebook result must work (it threw "at is not a function").
import * as Plot from '@observablehq/plot';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnsToIPC } from '../../../src/lib/arrow/columns-to-ipc.ts';
import type { ResultTable } from '../../../src/lib/notebook/executor.ts';
import { plottable } from '../../../src/lib/workbench/plot/plottable.ts';

const table = tableFromIPC(columnsToIPC({ task: ['a', 'b', 'a', 'a'], score: [1, 2, 3, 4] })) as unknown as ResultTable;

describe('plottable', () => {
	it('reads rows by position with at(), negative from the end, as Plot’s take() does', () => {
		const data = plottable(table);
		expect((data.at(1) as { task: string }).task).toBe('b');
		expect((data.at(-1) as { score: number }).score).toBe(4);
	});

	it('gives a constant channel one value per row: ruleX with "x": 50 over a table draws (it drew nothing)', () => {
		const mark = Plot.ruleX(plottable(table) as unknown as Plot.Data, { x: 50, stroke: 'red' });
		const { channels } = (mark as unknown as { initialize(): { channels: Record<string, { value: ArrayLike<unknown> }> } }).initialize();
		expect(Array.from(channels.x.value)).toEqual([50, 50, 50, 50]);
		expect(plottable(table).length).toBe(4);
	});

	it('lets a groupX transform count the rows of each group', () => {
		const mark = Plot.barY(plottable(table) as unknown as Plot.Data, Plot.groupX({ y: 'count' }, { x: 'task' }));
		const { channels } = (mark as unknown as { initialize(): { channels: Record<string, { value: ArrayLike<unknown> }> } }).initialize();
		expect(Array.from(channels.x.value)).toEqual(['a', 'b']);
		expect(Array.from(channels.y2.value)).toEqual([3, 1]); // bars from 0 to the count
	});

	it('reads a NULL BIGINT (a paper row with no n) as NaN, not the raw buffer value', async () => {
		const { Table, Int64, vectorFromArray } = await import('apache-arrow');
		const t = new Table({ n: vectorFromArray([54n, null, 17n], new Int64()) }) as unknown as ResultTable;
		const values = Array.from(plottable(t).getChild('n')!.toArray() as Float64Array);
		expect(values[0]).toBe(54);
		expect(values[1]).toBeNaN();
		expect(values[2]).toBe(17);
	});
});


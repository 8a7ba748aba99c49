import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readArrow } from '../../../../src/lib/node/datasets/read-arrow.ts';
import { DataFileError } from '../../../../src/lib/node/datasets/table-info.ts';
import { columnValues } from './table-values.ts';

const source = tableFromArrays({
	run_id: ['r1', 'r2', 'r3'],
	score: Float64Array.from([0.5, 0.25, 1]),
	n: Int32Array.from([1, 2, 3])
});

describe('readArrow', () => {
	it.each(['file', 'stream'] as const)('reads the IPC %s format', (format) => {
		const table = readArrow(tableToIPC(source, format), 'x.arrow');
		expect(table.numRows).toBe(3);
		expect(columnValues(table, 'run_id')).toEqual(['r1', 'r2', 'r3']);
		expect(columnValues(table, 'score')).toEqual([0.5, 0.25, 1]);
		expect(String(table.schema.fields[2].type)).toBe('Int32');
	});

	it('rejects bytes that are not Arrow', () => {
		const text = new TextEncoder().encode('model,score\nA,1\n');
		expect(() => readArrow(text, 'runs/fake.arrow')).toThrow(DataFileError);
		expect(() => readArrow(text, 'runs/fake.arrow')).toThrow(/^runs\/fake\.arrow: /);
		expect(() => readArrow(new Uint8Array(0), 'e.arrows')).toThrow(/^e\.arrows: not an Arrow IPC file or stream/);
	});

	it('rejects a truncated Arrow file', () => {
		const bytes = tableToIPC(source, 'file');
		expect(() => readArrow(bytes.subarray(0, 40), 'cut.arrow')).toThrow(/^cut\.arrow: /);
	});
});

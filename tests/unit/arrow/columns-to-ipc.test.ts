// columnsToIPC runs in the browser under a CSP without 'unsafe-eval': it must never compile code
// (apache-arrow's Builders do, with `new Function`), and must still encode values and nulls.
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnsToIPC } from '../../../src/lib/arrow/columns-to-ipc.ts';

describe('columnsToIPC', () => {
	it('never calls the Function constructor (the page\'s CSP would refuse it)', () => {
		const original = globalThis.Function;
		const refuse = new Proxy(original, {
			construct() {
				throw new EvalError('refused by CSP (test)');
			},
			apply() {
				throw new EvalError('refused by CSP (test)');
			}
		});
		globalThis.Function = refuse;
		try {
			expect(() => columnsToIPC({ x: [1, null, 3], s: ['a', null, 'ü'] })).not.toThrow();
		} finally {
			globalThis.Function = original;
		}
	});

	it('keeps numbers, text and nulls', () => {
		const table = tableFromIPC(columnsToIPC({ x: [1.5, null, -2], s: ['a', null, 'Grüße'], mixed: [1, 'two', null] }));
		expect(table.numRows).toBe(3);
		expect(table.getChild('x')!.toArray().length).toBe(3);
		expect([0, 1, 2].map((i) => table.getChild('x')!.get(i))).toEqual([1.5, null, -2]);
		expect([0, 1, 2].map((i) => table.getChild('s')!.get(i))).toEqual(['a', null, 'Grüße']);
		expect([0, 1, 2].map((i) => table.getChild('mixed')!.get(i))).toEqual(['1', 'two', null]);
		expect(String(table.getChild('x')!.type)).toBe('Float64');
		expect(String(table.getChild('s')!.type)).toBe('Utf8');
	});
});

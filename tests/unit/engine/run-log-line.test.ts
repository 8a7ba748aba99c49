// rowToLine (src/lib/engine/run-log.ts) builds each log line from an object literal for speed:
// its lines must stay byte for byte what assigning ROW_FIELDS then the meta keys one by one
// gives (the format every earlier log was written in), odd rows included.
import { describe, expect, it } from 'vitest';
import { rowToLine, tryRow } from '../../../src/lib/engine/run-log.ts';
import { ROW_FIELDS, type ResultRow } from '../../../src/lib/engine/types.ts';

/** The format's definition: fixed fields in ROW_FIELDS order, then meta keys in their order. */
function referenceLine(row: ResultRow): string {
	const flat: Record<string, unknown> = {};
	for (const field of ROW_FIELDS) flat[field] = row[field];
	for (const [k, v] of Object.entries(row.meta)) flat[k] = v;
	return JSON.stringify(flat) + '\n';
}

const base: ResultRow = {
	unit_id: 'u1',
	sample: 0,
	status: 'ok',
	response: 'line one\n"quoted" \u2028 é 🙂',
	error: null,
	latency_ms: 101.3,
	tokens_in: 570,
	tokens_out: 5,
	cached: false,
	attempts: 1,
	finished_at: '2026-11-28T22:00:00.000Z',
	meta: { item_id: 'detection/CWE-78/x/0', model: 'double/bench', cwe: 'CWE-78', label: null, vulnerable: true }
};

describe('a log line', () => {
	const rows: [string, ResultRow][] = [
		['an answer', base],
		['an error row', { ...base, status: 'error', response: null, error: 'server: HTTP 500', tokens_in: null, tokens_out: null, meta: {} }],
		['meta keys that look like numbers (ordered first by JSON)', { ...base, meta: { b: 1, '2': 'two', a: 'x', '10': 'ten' } }],
		['a meta key that reuses a field name', { ...base, meta: { status: 'shadow', sample: 9 } } as ResultRow],
		['undefined and non-finite values', { ...base, latency_ms: Number.NaN, tokens_in: undefined as unknown as null, meta: { gone: undefined as unknown as null, inf: Number.POSITIVE_INFINITY, neg: -0 } }],
		['fields in another order on the row object', Object.fromEntries(Object.entries(base).reverse()) as unknown as ResultRow]
	];
	for (const [name, row] of rows) {
		it(`${name}: the same bytes as the reference`, () => {
			expect(rowToLine(row)).toBe(referenceLine(row));
		});
	}

	it('puts the fixed fields first, in ROW_FIELDS order, and reads back as the row', () => {
		const line = rowToLine(base);
		expect(Object.keys(JSON.parse(line))).toEqual([...ROW_FIELDS, ...Object.keys(base.meta)]);
		expect(tryRow(line.trimEnd())).toEqual(base);
	});
});

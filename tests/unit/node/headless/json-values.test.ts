// Result values of the real headless engine (duckdb-wasm → apache-arrow 17) as JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { bigintToJson, decimalToJson, INTERVAL_MARKER } from '../../../../src/lib/node/headless/json-values.ts';
import { tableToJson } from '../../../../src/lib/node/headless/result-json.ts';

describe('decimalToJson and bigintToJson', () => {
	it('gives numbers while the integer is safe, exact strings beyond', () => {
		expect(decimalToJson(125n, 2)).toBe(1.25);
		expect(decimalToJson(-5n, 2)).toBe(-0.05);
		expect(decimalToJson(7n, 0)).toBe(7);
		expect(decimalToJson(-1234567890123456785n, 1)).toBe('-123456789012345678.5');
		expect(decimalToJson(12345678901234567890123n, 25)).toBe('0.0012345678901234567890123');
		expect(decimalToJson(2n ** 60n, 0)).toBe('1152921504606846976');
		expect(bigintToJson(9007199254740991n)).toBe(9007199254740991);
		expect(bigintToJson(9007199254740993n)).toBe('9007199254740993');
		expect(bigintToJson(-9007199254740993n)).toBe('-9007199254740993');
	});
});

describe('tableToJson over duckdb-wasm results', { timeout: 120_000 }, () => {
	let engine: HeadlessEngine;
	beforeAll(async () => {
		engine = await createHeadlessEngine();
	}, 120_000);
	afterAll(() => engine?.close());

	it('turns every common DuckDB type into a plain JSON value', async () => {
		const table = await engine.query(`SELECT
			42::BIGINT AS big, 9007199254740993::BIGINT AS huge, -3::HUGEINT AS hugeint, 5::UBIGINT AS ubig,
			1.25::DECIMAL(10,2) AS dec, -0.05::DECIMAL(4,2) AS dec_neg,
			-123456789012345678.5::DECIMAL(38,1) AS dec_wide,
			'NaN'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, '-inf'::DOUBLE AS ninf, 0.1::DOUBLE AS dbl, 2::TINYINT AS tiny,
			DATE '2024-01-02' AS d, DATE '1960-03-04' AS d_old,
			TIMESTAMP '2024-01-02 03:04:05.123' AS ts, TIMESTAMP '2024-01-02 03:04:05' AS ts_whole,
			TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tstz,
			TIME '01:02:03.5' AS tm, TIME '23:59:59' AS tm_whole,
			[1, 2, NULL] AS list, [{'a': 1::BIGINT, 'b': 'x'}] AS nested, {'p': 1.5::DECIMAL(3,1), 'q': NULL} AS st,
			MAP {'k': 1} AS m, 'a\\x00\\x5Cb'::BLOB AS blob, true AS flag, NULL AS nothing, 'x'::ENUM('x', 'y') AS en,
			INTERVAL 3 DAY AS iv`);
		const { columns, rows, truncated } = tableToJson(table, 10);
		expect(truncated).toBe(false);
		expect(rows).toEqual([
			{
				big: 42,
				huge: '9007199254740993',
				hugeint: -3,
				ubig: 5,
				dec: 1.25,
				dec_neg: -0.05,
				dec_wide: '-123456789012345678.5',
				nan: 'NaN',
				inf: 'Infinity',
				ninf: '-Infinity',
				dbl: 0.1,
				tiny: 2,
				d: '2024-01-02',
				d_old: '1960-03-04',
				ts: '2024-01-02T03:04:05.123',
				ts_whole: '2024-01-02T03:04:05',
				tstz: '2024-01-02T03:04:05Z',
				tm: '01:02:03.5',
				tm_whole: '23:59:59',
				list: [1, 2, null],
				nested: [{ a: 1, b: 'x' }],
				st: { p: 1.5, q: null },
				m: { k: 1 },
				blob: 'a\\x00\\x5Cb',
				flag: true,
				nothing: null,
				en: 'x',
				iv: INTERVAL_MARKER
			}
		]);
		// The whole row survives JSON (no BigInt, no typed arrays).
		expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
		expect(columns.find((c) => c.name === 'dec')?.type).toBe('Decimal[10e+2]');
		expect(columns.find((c) => c.name === 'big')?.type).toBe('Int64');
	});

	it('keeps at most maxRows rows and says when it cut', async () => {
		const table = await engine.query('SELECT range AS i, range * 2 AS j FROM range(5)');
		expect(tableToJson(table, 2)).toEqual({
			columns: [
				{ name: 'i', type: 'Int64' },
				{ name: 'j', type: 'Int64' }
			],
			rows: [
				{ i: 0, j: 0 },
				{ i: 1, j: 2 }
			],
			truncated: true
		});
		expect(tableToJson(table, 5).truncated).toBe(false);
	});
});

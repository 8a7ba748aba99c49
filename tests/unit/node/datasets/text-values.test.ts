import { describe, expect, it } from 'vitest';
import { parseBoolBytes, parseNumberBytes } from '../../../../src/lib/node/datasets/text-values.ts';

const encoder = new TextEncoder();
function num(text: string): number {
	const bytes = encoder.encode(`x${text}y`); // parse from the middle of a buffer, as the CSV reader does
	return parseNumberBytes(bytes, 1, bytes.length - 1);
}
function bool(text: string): boolean | undefined {
	const bytes = encoder.encode(text);
	return parseBoolBytes(bytes, 0, bytes.length);
}

describe('parseNumberBytes', () => {
	it('reads the number forms a CSV writer produces', () => {
		// Expected values are JS literals, i.e. the engine's own correctly rounded reading.
		expect(num('0')).toBe(0);
		expect(num('42')).toBe(42);
		expect(num('-7.25')).toBe(-7.25);
		expect(num('+3')).toBe(3);
		expect(num('0.1')).toBe(0.1);
		expect(num('.5')).toBe(0.5);
		expect(num('5.')).toBe(5);
		expect(num('1e3')).toBe(1000);
		expect(num('2.5E-3')).toBe(0.0025);
		expect(num('007')).toBe(7);
		expect(Object.is(num('-0'), -0)).toBe(true);
		expect(num('74.07')).toBe(74.07);
	});

	it('is correctly rounded beyond the fast path', () => {
		expect(num('123456789012345678')).toBe(123456789012345678);
		expect(num('1e23')).toBe(1e23);
		expect(num('0.30000000000000004')).toBe(0.30000000000000004);
		expect(num('2.2250738585072014e-308')).toBe(2.2250738585072014e-308);
		expect(num('1e400')).toBe(Infinity);
		expect(num('9007199254740993')).toBe(9007199254740992); // 2^53 + 1 rounds to even
	});

	it('agrees with Number() on many random decimal strings', () => {
		// Number() is an independent, correctly rounded parser; a small LCG keeps this reproducible.
		let seed = 12345;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
		for (let k = 0; k < 5000; k++) {
			const intDigits = String(next()).slice(0, 1 + (next() % 10));
			const fracDigits = String(next()).slice(0, next() % 12);
			const exponent = next() % 3 === 0 ? `e${(next() % 61) - 30}` : '';
			const sign = next() % 2 === 0 ? '-' : '';
			const text = `${sign}${intDigits}${fracDigits ? '.' + fracDigits : ''}${exponent}`;
			expect(num(text), text).toBe(Number(text));
		}
	});

	it('rejects what is not a plain decimal number', () => {
		for (const text of ['', '-', '+', '.', 'e5', '1e', '1e+', '1.2.3', ' 1', '1 ', '0x1F', '1_000', 'NaN', 'inf', 'Infinity', '1,5', '--1', '12a']) {
			expect(Number.isNaN(num(text)), JSON.stringify(text)).toBe(true);
		}
	});
});

describe('parseBoolBytes', () => {
	it('reads true/false in any letter case', () => {
		expect(bool('true')).toBe(true);
		expect(bool('TRUE')).toBe(true);
		expect(bool('True')).toBe(true);
		expect(bool('false')).toBe(false);
		expect(bool('FaLsE')).toBe(false);
	});
	it('rejects everything else', () => {
		for (const text of ['', 't', 'yes', '1', '0', 'truee', 'fals', ' true', 'trüe']) {
			expect(bool(text), text).toBeUndefined();
		}
	});
});

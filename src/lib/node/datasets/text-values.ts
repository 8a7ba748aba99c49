/**
 * Reading CSV field values straight from UTF-8 bytes, without making a string per field.
 *
 * Numbers: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` — what a spreadsheet or
 * a Python script writes. Not numbers: surrounding spaces, `0x1F`, `1_000`, `NaN`, `inf`
 * (those columns stay text, so nothing is guessed).
 */

const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;

/** Powers of ten that are exact doubles: the range of the fast path below. */
// Written as literals: the parser rounds each one exactly, where `10 ** i` need not.
const EXACT_POWERS_OF_TEN = [
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	1e18, 1e19, 1e20, 1e21, 1e22
];
const asciiDecoder = new TextDecoder();

/**
 * The number written in bytes[start, end), or NaN when the bytes are not a number in the
 * grammar above. Correctly rounded: the fast path (≤ 15 significant digits, decimal exponent
 * within ±22) is exact by Clinger's argument — both operands are exact doubles and one IEEE
 * operation rounds once; everything else goes to parseFloat.
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
	let i = start;
	if (i === end) return NaN;
	let negative = false;
	if (bytes[i] === PLUS || bytes[i] === MINUS) {
		negative = bytes[i] === MINUS;
		i++;
	}
	let mantissa = 0;
	let significantDigits = 0;
	let digitsSeen = 0;
	let decimalExponent = 0;
	for (; i < end; i++) {
		const c = bytes[i];
		if (c < ZERO || c > NINE) break;
		digitsSeen++;
		if (mantissa !== 0 || c !== ZERO) {
			mantissa = mantissa * 10 + (c - ZERO);
			significantDigits++;
		}
	}
	if (i < end && bytes[i] === DOT) {
		i++;
		for (; i < end; i++) {
			const c = bytes[i];
			if (c < ZERO || c > NINE) break;
			digitsSeen++;
			decimalExponent--;
			if (mantissa !== 0 || c !== ZERO) {
				mantissa = mantissa * 10 + (c - ZERO);
				significantDigits++;
			}
		}
	}
	if (digitsSeen === 0) return NaN;
	if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
		i++;
		let exponentNegative = false;
		if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) {
			exponentNegative = bytes[i] === MINUS;
			i++;
		}
		const exponentStart = i;
		let exponent = 0;
		for (; i < end; i++) {
			const c = bytes[i];
			if (c < ZERO || c > NINE) break;
			if (exponent < 100000) exponent = exponent * 10 + (c - ZERO);
		}
		if (i === exponentStart) return NaN;
		decimalExponent += exponentNegative ? -exponent : exponent;
	}
	if (i !== end) return NaN;

	let value: number;
	if (significantDigits <= 15 && decimalExponent >= -22 && decimalExponent <= 22) {
		value =
			decimalExponent < 0
				? mantissa / EXACT_POWERS_OF_TEN[-decimalExponent]
				: mantissa * EXACT_POWERS_OF_TEN[decimalExponent];
		return negative ? -value : value;
	}
	// Slow path: rare (long mantissas, huge exponents); the bytes are ASCII by now.
	return parseFloat(asciiDecoder.decode(bytes.subarray(start, end)));
}

/** `true` / `false`, in any letter case. */
export function parseBoolBytes(bytes: Uint8Array, start: number, end: number): boolean | undefined {
	const length = end - start;
	if (length === 4) {
		if (
			(bytes[start] | 0x20) === 0x74 && // t
			(bytes[start + 1] | 0x20) === 0x72 && // r
			(bytes[start + 2] | 0x20) === 0x75 && // u
			(bytes[start + 3] | 0x20) === 0x65 // e
		)
			return true;
	} else if (length === 5) {
		if (
			(bytes[start] | 0x20) === 0x66 && // f
			(bytes[start + 1] | 0x20) === 0x61 && // a
			(bytes[start + 2] | 0x20) === 0x6c && // l
			(bytes[start + 3] | 0x20) === 0x73 && // s
			(bytes[start + 4] | 0x20) === 0x65 // e
		)
			return false;
	}
	return undefined;
}

// Do two engines' answers to the same ORDER BY query agree? Doubles may differ in the last bits
// (summation order differs between engines and thread counts), so they compare with a tolerance.
const RELATIVE_TOLERANCE = 1e-9;

const sameValue = (a, b) =>
	typeof a === 'number' && typeof b === 'number'
		? Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))
		: a === b;

/**
 * @param {unknown[][]} left @param {unknown[][]} right
 * @returns {string | null} the first difference, or null when they agree
 */
export function firstDifference(left, right) {
	if (left.length !== right.length) return `${left.length} rows vs ${right.length} rows`;
	for (let r = 0; r < left.length; r++) {
		if (left[r].length !== right[r].length) return `row ${r}: ${left[r].length} vs ${right[r].length} columns`;
		for (let c = 0; c < left[r].length; c++) {
			if (!sameValue(left[r][c], right[r][c])) return `row ${r} column ${c}: ${JSON.stringify(left[r][c])} vs ${JSON.stringify(right[r][c])}`;
		}
	}
	return null;
}

/** Input checks shared by the statistics functions, so every one fails with the same wording. */

export function checkPaired(fn: string, x: { length: number }, y: { length: number }, minimum: number): void {
	if (x.length !== y.length) {
		throw new Error(`${fn}: inputs differ in length (${x.length} vs ${y.length})`);
	}
	if (x.length < minimum) {
		throw new Error(`${fn}: needs at least ${minimum} pairs, got ${x.length}`);
	}
}

/** NaN has no place in an ordering; report where it is instead of returning nonsense. */
export function checkNoNaN(fn: string, name: string, values: readonly number[]): void {
	for (let i = 0; i < values.length; i++) {
		if (typeof values[i] !== 'number' || Number.isNaN(values[i])) {
			throw new Error(`${fn}: ${name}[${i}] is not a number (${String(values[i])})`);
		}
	}
}

/** Pearson needs finite values: one Infinity turns every sum into NaN. */
export function checkFinite(fn: string, name: string, values: readonly number[]): void {
	for (let i = 0; i < values.length; i++) {
		if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) {
			throw new Error(`${fn}: ${name}[${i}] is not a finite number (${String(values[i])})`);
		}
	}
}

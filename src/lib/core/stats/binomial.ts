/**
 * Exact binomial random variates from a uniform generator, in O(sqrt(n·p·q)) expected steps.
 *
 * Inversion that enumerates outcomes outward from the mode (m, m+1, m−1, m+2, …): any fixed
 * enumeration order gives each k probability pmf(k), and starting at the mode finds the answer
 * after about one standard deviation of steps, where inversion from 0 would take n·p.
 */

const LOG_FACTORIALS: number[] = [0];
for (let k = 1; k <= 256; k++) LOG_FACTORIALS[k] = LOG_FACTORIALS[k - 1] + Math.log(k);

/** ln(k!) — a table up to 256, Stirling's series (error < 1e-15 relative) beyond. */
export function logFactorial(k: number): number {
	if (k <= 256) return LOG_FACTORIALS[k];
	const inv = 1 / k;
	const inv2 = inv * inv;
	return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/** A draw from Binomial(n, p), using `rng` (uniform [0, 1)) exactly once. */
export function binomial(n: number, p: number, rng: () => number): number {
	if (n === 0 || p <= 0) return 0;
	if (p >= 1) return n;
	const q = 1 - p;
	const mode = Math.min(n, Math.floor((n + 1) * p));
	const logPmf = logFactorial(n) - logFactorial(mode) - logFactorial(n - mode) + mode * Math.log(p) + (n - mode) * Math.log(q);
	const u = rng();
	let cumulative = Math.exp(logPmf);
	if (u < cumulative) return mode;
	// pmf(k+1)/pmf(k) = (n−k)/(k+1) · p/q, walked up and down from the mode.
	const odds = p / q;
	let up = mode;
	let upPmf = cumulative;
	let down = mode;
	let downPmf = cumulative;
	while (up < n || down > 0) {
		if (up < n) {
			upPmf *= ((n - up) / (up + 1)) * odds;
			up++;
			cumulative += upPmf;
			if (u < cumulative) return up;
		}
		if (down > 0) {
			downPmf *= (down / (n - down + 1)) / odds;
			down--;
			cumulative += downPmf;
			if (u < cumulative) return down;
		}
	}
	return mode; // rounding left the total a hair below u: the likeliest value
}

/**
 * Seeded pseudo-random numbers, so that every bootstrap interval can be reproduced exactly
 * from its seed. Not for cryptography.
 */

/**
 * Deterministic uniform generator on [0, 1): mulberry32 (Tommy Ettinger's 32-bit generator).
 * For seeds in [0, 2^32) the state is the seed itself, so the stream matches other mulberry32
 * ports; larger or negative safe integers are folded into 32 bits deterministically.
 */
export function createRng(seed: number): () => number {
	if (!Number.isSafeInteger(seed)) {
		throw new Error(`createRng: seed must be a safe integer, got ${String(seed)}`);
	}
	const low = seed >>> 0;
	const high = Math.floor(seed / 4294967296) >>> 0;
	let state = (low ^ Math.imul(high, 0x9e3779b9)) >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// The leakage check of the training-data export: an example must not be a test item or a
// near-duplicate of one. Test items are indexed once by their token shingles (an inverted
// index), so each example is compared only with the test items it shares a shingle with.
import { normaliseText, shingles } from './similarity.ts';

export interface TestText {
	id: string;
	code: string;
}

export interface LeakIndex {
	k: number;
	exact: Map<string, string>;
	sizes: number[];
	ids: string[];
	postings: Map<string, number[]>;
}

export interface Leak {
	/** The test item the example repeats. */
	test_id: string;
	/** Shingle Jaccard similarity; 1 for an exact (normalised) copy. */
	similarity: number;
}

export function buildLeakIndex(tests: readonly TestText[], k = 5): LeakIndex {
	const index: LeakIndex = { k, exact: new Map(), sizes: [], ids: [], postings: new Map() };
	for (const [i, t] of tests.entries()) {
		index.exact.set(normaliseText(t.code), t.id);
		const set = shingles(t.code, k);
		index.ids.push(t.id);
		index.sizes.push(set.size);
		for (const s of set) {
			const list = index.postings.get(s);
			if (list) list.push(i);
			else index.postings.set(s, [i]);
		}
	}
	return index;
}

/** The test item most similar to any of `texts` at or above `threshold`, or null. */
export function findLeak(texts: readonly string[], index: LeakIndex, threshold = 0.8): Leak | null {
	let best: Leak | null = null;
	for (const text of texts) {
		const exact = index.exact.get(normaliseText(text));
		if (exact !== undefined) return { test_id: exact, similarity: 1 };
		const mine = shingles(text, index.k);
		if (mine.size === 0) continue;
		const shared = new Map<number, number>();
		for (const s of mine) for (const i of index.postings.get(s) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
		for (const [i, n] of shared) {
			const similarity = n / (mine.size + index.sizes[i] - n);
			if (similarity >= threshold && (best === null || similarity > best.similarity)) best = { test_id: index.ids[i], similarity };
		}
	}
	return best;
}

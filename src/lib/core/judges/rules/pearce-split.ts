// Dev / held-out split of the Pearce et al. scenarios for measuring the rule judge.
// Fixed before any result was looked at: within each CWE (three scenarios each), the
// scenario whose FNV-1a hash of "cwe/scenario" is smallest is held out. Splitting by
// scenario (not by program) keeps near-duplicate completions of one prompt on one side.

export type SplitName = 'dev' | 'held-out';

/** 32-bit FNV-1a over UTF-16 code units: stable across runtimes, no dependencies. */
export function fnv1a32(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash >>> 0;
}

function scenarioKey(cwe: string, scenario: string): string {
	return `${cwe.toLowerCase()}/${scenario}`;
}

/** Given every (cwe, scenario) pair, returns the set of held-out keys "cwe/scenario". */
export function heldOutScenarios(pairs: Iterable<{ cwe: string; scenario: string }>): Set<string> {
	const lowestByCwe = new Map<string, { key: string; hash: number }>();
	for (const { cwe, scenario } of pairs) {
		const key = scenarioKey(cwe, scenario);
		const hash = fnv1a32(key);
		const cweKey = cwe.toLowerCase();
		const best = lowestByCwe.get(cweKey);
		if (!best || hash < best.hash || (hash === best.hash && key < best.key)) {
			lowestByCwe.set(cweKey, { key, hash });
		}
	}
	return new Set([...lowestByCwe.values()].map((entry) => entry.key));
}

export function splitOf(heldOut: Set<string>, cwe: string, scenario: string): SplitName {
	return heldOut.has(scenarioKey(cwe, scenario)) ? 'held-out' : 'dev';
}

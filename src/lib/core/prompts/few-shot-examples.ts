// Choosing the two demonstrations of the few-shot judge: one vulnerable and one
// non-vulnerable Pearce program of the item's scenario. Four scenarios have programs of
// only one kind; for those the missing side comes from another scenario of the same CWE
// and language, and the result says so.
import type { CweId } from '../cwe.ts';
import type { Item } from '../items/item.ts';

export interface FewShotExamples {
	vulnerable: Item;
	nonVulnerable: Item;
	/** False for a side that had to come from another scenario. */
	sameScenario: { vulnerable: boolean; nonVulnerable: boolean };
}

/**
 * Deterministic: among candidates, the lowest item_id (numeric-aware) wins. Programs whose
 * code equals `excludeCode` (the code being judged) are never used as demonstrations.
 */
export function pickFewShotExamples(
	reference: readonly Item[],
	target: { cwe: CweId; scenario: string; language: Item['language'] },
	excludeCode?: string
): FewShotExamples {
	const pool = reference
		.filter((i) => i.task === 'reference' && i.cwe === target.cwe && i.code !== excludeCode)
		.sort((a, b) => a.item_id.localeCompare(b.item_id, 'en', { numeric: true }));
	const pick = (label: Item['label']): { item: Item; same: boolean } => {
		const same = pool.find((i) => i.label === label && i.scenario === target.scenario);
		if (same) return { item: same, same: true };
		const other = pool.find((i) => i.label === label && i.language === target.language);
		if (other) return { item: other, same: false };
		throw new Error(`no ${label} reference program for ${target.cwe} (${target.language}) to use as a few-shot example`);
	};
	const vulnerable = pick('vulnerable');
	const nonVulnerable = pick('non_vulnerable');
	return {
		vulnerable: vulnerable.item,
		nonVulnerable: nonVulnerable.item,
		sameScenario: { vulnerable: vulnerable.same, nonVulnerable: nonVulnerable.same }
	};
}

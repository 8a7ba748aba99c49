// Item counts per task, set, CWE and language, and the check against the published sizes.
import { CWE_IDS, type CweId, type Language } from '../cwe.ts';
import { EXPECTED_SET_COUNTS, EXPECTED_TASK_COUNTS, ITEM_SETS, TASKS, type Item, type ItemSet, type Task } from './item.ts';

export interface ItemCounts {
	total: number;
	byTask: Record<Task, number>;
	bySet: Record<ItemSet, number>;
	/** CWE → task → count. */
	byCwe: Record<CweId, Record<Task, number>>;
	/** Language → task → count. */
	byLanguage: Record<Language, Record<Task, number>>;
}

export interface CountCheck {
	what: string;
	expected: number;
	actual: number;
	ok: boolean;
}

export function countItems(items: readonly Item[]): ItemCounts {
	const perTask = (): Record<Task, number> => Object.fromEntries(TASKS.map((t) => [t, 0])) as Record<Task, number>;
	const counts: ItemCounts = {
		total: items.length,
		byTask: perTask(),
		bySet: Object.fromEntries(ITEM_SETS.map((s) => [s, 0])) as Record<ItemSet, number>,
		byCwe: Object.fromEntries(CWE_IDS.map((c) => [c, perTask()])) as Record<CweId, Record<Task, number>>,
		byLanguage: { c: perTask(), python: perTask() }
	};
	for (const item of items) {
		counts.byTask[item.task]++;
		counts.bySet[item.set]++;
		counts.byCwe[item.cwe][item.task]++;
		counts.byLanguage[item.language][item.task]++;
	}
	return counts;
}

/** One check per task and per set against the complete benchmark's sizes (324 / 477 / 531 / 1,087). */
export function checkCounts(counts: ItemCounts): CountCheck[] {
	const checks: CountCheck[] = [];
	for (const task of TASKS) {
		const expected = EXPECTED_TASK_COUNTS[task];
		checks.push({ what: `task ${task}`, expected, actual: counts.byTask[task], ok: counts.byTask[task] === expected });
	}
	for (const set of ITEM_SETS) {
		const expected = EXPECTED_SET_COUNTS[set];
		checks.push({ what: `set ${set}`, expected, actual: counts.bySet[set], ok: counts.bySet[set] === expected });
	}
	return checks;
}

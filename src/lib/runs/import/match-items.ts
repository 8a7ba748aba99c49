// Finding the benchmark item a foreign answer belongs to: by item id, or by the program the
// answer was asked about (the released CoV-Eval results name no item id, but carry the exact
// scenario / input program text). A miss is a reason, never a guess.
import type { Item } from '../../core/items/item.ts';
import type { ForeignAnswer } from './types.ts';

export type Match = { item: Item } | { reason: string; field: string };

const TASK_ORDER = ['completion', 'repair', 'detection'];

export function itemMatcher(items: readonly Item[]): (key: ForeignAnswer['key']) => Match {
	const byId = new Map(items.map((i) => [i.item_id, i]));
	const byCode = new Map<string, Item[]>();
	const add = (k: string, item: Item) => (byCode.get(k) ?? byCode.set(k, []).get(k)!).push(item);
	for (const item of items) {
		if (item.task === 'reference') continue;
		add(`${item.task}\u0000${item.code}`, item);
		add(`${item.task}\u0000~${item.code.trim()}`, item);
	}
	return (key) => {
		if ('item_id' in key) {
			const item = byId.get(key.item_id);
			return item ? { item } : { reason: `unknown item id ${JSON.stringify(key.item_id)} (not among the ${items.length} item(s) loaded)`, field: 'item_id' };
		}
		const tasks = key.task ? [key.task] : TASK_ORDER;
		for (const task of tasks) {
			let found = byCode.get(`${task}\u0000${key.code}`) ?? byCode.get(`${task}\u0000~${key.code.trim()}`) ?? [];
			// Several items with the same program (e.g. a Vul-Evol variant equal to its seed): narrow by CWE and scenario.
			if (found.length > 1) found = found.filter((i) => (key.cwe === null || i.cwe === key.cwe) && (key.scenario === null || i.scenario === key.scenario || i.set !== 'seed'));
			if (found.length > 1) found = found.filter((i) => i.set === 'seed' || i.set === 'repair' || i.set === 'detection');
			if (found.length === 1) return { item: found[0] };
			if (found.length > 1) return { reason: `the program matches ${found.length} items (${found.slice(0, 3).map((i) => i.item_id).join(', ')}…)`, field: 'source_code' };
		}
		return { reason: `no ${key.task ?? 'benchmark'} item has this program${key.cwe ? ` (${key.cwe}${key.scenario ? `, ${key.scenario}` : ''})` : ''}; import the benchmark with covw data import`, field: 'source_code' };
	};
}

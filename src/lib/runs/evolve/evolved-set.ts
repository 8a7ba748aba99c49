// Evolved sets: the accepted scenarios of a Vul-Evol run as benchmark items (task completion,
// set vul-evol), so completion runs use them like the built-in sets (`covw run completion
// --items-file <data>/evolved/<name>/items.arrow`). Lineage (seed, strategy, run, every filter
// outcome) travels beside each item in items.jsonl, the set's exported form.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILTER_COLUMNS } from '../../core/evolve/filters.ts';
import type { Item } from '../../core/items/item.ts';
import { checkRunId } from '../../engine/run-id.ts';
import { writeFileAtomic, writeItemsArrow } from '../../node/coveval/items-arrow.ts';
import { FILTERS_FILE, type FilterRow } from './evolve-run.ts';

export interface Lineage {
	seed_id: string;
	strategy: string;
	sample: number;
	run_id: string;
	candidate_id: string;
	model: string;
	distance: number | null;
	filters: Record<string, { outcome: string; reason: string }>;
}

export interface EvolvedItem extends Item {
	lineage: Lineage;
}

/** Where a named evolved set lives under the data folder. */
export function evolvedSetDir(dataDir: string, name: string): string {
	return join(dataDir, 'evolved', checkRunId(name, 'evolved set name'));
}

/** The accepted rows as items, in filter-table order. */
export function evolvedItems(name: string, rows: readonly FilterRow[]): EvolvedItem[] {
	checkRunId(name, 'evolved set name');
	return rows
		.filter((r) => r.accepted && r.scenario !== null)
		.map((r) => {
			const seedTail = r.seed_id.split('/').pop() ?? '0';
			return {
				item_id: `completion/evolved-${name}/${r.cwe}/${r.seed_scenario}/${seedTail}-${r.strategy}-${r.sample}`,
				task: 'completion',
				set: 'vul-evol',
				cwe: r.cwe as Item['cwe'],
				language: r.language,
				scenario: r.seed_scenario,
				code: r.scenario!,
				label: null,
				label_class: null,
				source: `evolve:${r.run_id}:${r.candidate_id}`,
				lineage: {
					seed_id: r.seed_id,
					strategy: r.strategy,
					sample: r.sample,
					run_id: r.run_id,
					candidate_id: r.candidate_id,
					model: r.model,
					distance: r.distance,
					filters: Object.fromEntries(FILTER_COLUMNS.map((c) => [c, { outcome: r[c], reason: r[`${c}_reason`] }]))
				}
			};
		});
}

/** Writes items.arrow (the items table a run reads) and items.jsonl (items with lineage). */
export async function writeEvolvedSet(dataDir: string, name: string, rows: readonly FilterRow[]): Promise<{ dir: string; arrow: string; jsonl: string; count: number }> {
	const items = evolvedItems(name, rows);
	const dir = evolvedSetDir(dataDir, name);
	const arrow = join(dir, 'items.arrow');
	const jsonl = join(dir, 'items.jsonl');
	await writeItemsArrow(arrow, items.map(({ lineage: _lineage, ...item }) => item));
	await writeFileAtomic(jsonl, items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : ''));
	return { dir, arrow, jsonl, count: items.length };
}

/** The filter table of an evolve run (runs/<id>/filters.jsonl), with a clear error per bad line. */
export function readFilterTable(runsDir: string, runId: string): FilterRow[] {
	const file = join(runsDir, checkRunId(runId), FILTERS_FILE);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as { code?: string }).code === 'ENOENT') throw new Error(`run ${runId} has no ${FILTERS_FILE}: is it an evolve run that finished its filters?`);
		throw e;
	}
	return text
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((line, i) => {
			try {
				return JSON.parse(line) as FilterRow;
			} catch (e) {
				throw new Error(`${file}: line ${i + 1}: not JSON (${(e as Error).message})`);
			}
		});
}

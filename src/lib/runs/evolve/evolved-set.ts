// Evolved sets: the accepted scenarios of a Vul-Evol run as benchmark items (task completion,
// set evolved-<name>: never "vul-evol", which is the paper's 270 scenarios; sets built before
// this said "vul-evol", and their item ids completion/evolved-<name>/… still tell them apart),
// so completion runs use them like the built-in sets (`covw run completion
// --items-file <data>/evolved/<name>/evolved_<name>.arrow`). Lineage (seed, strategy, run, every
// filter outcome) travels beside each item in evolved_<name>_lineage.jsonl, the set's exported
// form. Both are tables of the data folder too (SQL: evolved_<name>, evolved_<name>_lineage),
// and so is vul_evol_filters (every candidate of every run, accepted or not).
// Human acceptance (the labelling view's accept / reject on survivors): when it applies, only
// survivors the annotators' majority accepted go in, and the lineage records the votes.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { humanAcceptance, type AcceptanceVotes, type HumanAcceptance } from '../../core/labels/acceptance.ts';
import type { Item, ItemSet } from '../../core/items/item.ts';
import { readFileNoFollow, readRegularText } from '../../engine/atomic-file.ts';
import { checkRunId } from '../../engine/run-id.ts';
import { writeFileAtomic, writeItemsArrow } from '../../node/coveval/items-arrow.ts';
import { FILTERS_FILE, recordedFilters, type FilterRow } from './evolve-run.ts';

export interface Lineage {
	seed_id: string;
	strategy: string;
	sample: number;
	run_id: string;
	candidate_id: string;
	model: string;
	distance: number | null;
	filters: Record<string, { outcome: string; reason: string }>;
	/** The annotators' accept/reject votes; null when the set was built without human review. */
	human: HumanAcceptance | null;
}

/** How a set's survivors fared in human review. */
export interface ReviewCounts {
	/** Survivors of the filters. */
	survivors: number;
	/** Accepted by a majority of annotators, rejected by one, tied, not reviewed by anyone. */
	accepted: number;
	rejected: number;
	ties: number;
	unreviewed: number;
	/** The tied survivors' candidate ids (for another annotator to settle). */
	tied: string[];
}

/**
 * The human review of the rows' survivors: `votes` from acceptanceVotes (latest labels). Null
 * `votes` (no review applied) counts every survivor as unreviewed.
 */
export function reviewCounts(rows: readonly FilterRow[], votes: ReadonlyMap<string, AcceptanceVotes> | null): ReviewCounts {
	const out: ReviewCounts = { survivors: 0, accepted: 0, rejected: 0, ties: 0, unreviewed: 0, tied: [] };
	for (const r of rows) {
		if (!r.accepted || r.scenario === null) continue;
		out.survivors++;
		const v = votes?.get(r.candidate_id);
		if (!v) out.unreviewed++;
		else if (v.needs_review) {
			out.ties++;
			out.tied.push(r.candidate_id);
		} else if (v.decision === 'accept') out.accepted++;
		else out.rejected++;
	}
	return out;
}

/** Does any survivor of these rows have an accept/reject vote? */
export function hasReview(rows: readonly FilterRow[], votes: ReadonlyMap<string, AcceptanceVotes>): boolean {
	return rows.some((r) => r.accepted && votes.has(r.candidate_id));
}

export type ReviewMode = 'auto' | 'require' | 'off';

/**
 * The votes that decide which survivors enter the set: none with review off, or in `auto` while
 * no survivor of these rows has a vote yet (every filter survivor goes in, as before review).
 */
export function reviewVotes(rows: readonly FilterRow[], all: ReadonlyMap<string, AcceptanceVotes> | null, mode: ReviewMode): ReadonlyMap<string, AcceptanceVotes> | null {
	if (mode === 'off') return null;
	if (mode === 'require') return all ?? new Map();
	return all !== null && hasReview(rows, all) ? all : null;
}

export interface EvolvedItem extends Item {
	lineage: Lineage;
}

/** Every evolve run's candidates with their filter outcomes, across sets (table vul_evol_filters). */
export const FILTER_TABLE_FILE = 'vul_evol_filters.jsonl';

/** Where a named evolved set lives under the data folder. */
export function evolvedSetDir(dataDir: string, name: string): string {
	return join(dataDir, 'evolved', checkRunId(name, 'evolved set name'));
}

/** An evolved set's `set` value: its own name, apart from the benchmark's sets (not in ITEM_SETS). */
export function evolvedSetValue(name: string): ItemSet {
	return `evolved-${name}` as ItemSet;
}

/**
 * The accepted rows as items, in filter-table order. With `votes` (human review applies), only
 * survivors a majority of annotators accepted; without, every survivor of the filters.
 */
export function evolvedItems(name: string, rows: readonly FilterRow[], votes: ReadonlyMap<string, AcceptanceVotes> | null = null): EvolvedItem[] {
	checkRunId(name, 'evolved set name');
	return rows
		.filter((r) => r.accepted && r.scenario !== null)
		.filter((r) => votes === null || votes.get(r.candidate_id)?.decision === 'accept')
		.map((r) => {
			const v = votes?.get(r.candidate_id);
			const seedTail = r.seed_id.split('/').pop() ?? '0';
			return {
				item_id: `completion/evolved-${name}/${r.cwe}/${r.seed_scenario}/${seedTail}-${r.strategy}-${r.sample}`,
				task: 'completion',
				set: evolvedSetValue(name),
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
					filters: Object.fromEntries(recordedFilters(r).map((f) => [f.filter, { outcome: f.outcome, reason: f.reason }])),
					human: v ? humanAcceptance(v) : null
				}
			};
		});
}

/** The set's files: its items table (for runs, and table evolved_<name> in SQL) and its lineage. */
export function evolvedSetFiles(dataDir: string, name: string) {
	const dir = evolvedSetDir(dataDir, name);
	const stem = `evolved_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
	return { dir, arrow: join(dir, `${stem}.arrow`), jsonl: join(dir, `${stem}_lineage.jsonl`) };
}

/** One flat row per item (table-friendly): the item's fields, then its lineage and every filter's outcome. */
export function lineageRow(item: EvolvedItem): Record<string, unknown> {
	const { lineage, ...fields } = item;
	const filters = Object.fromEntries(Object.entries(lineage.filters).flatMap(([c, f]) => [[c, f.outcome], [`${c}_reason`, f.reason]]));
	const { filters: _filters, human, ...rest } = lineage;
	// Human review as flat columns (null when the set was built without it).
	const review = {
		human_decision: human?.decision ?? null,
		human_accept: human?.votes.accept ?? null,
		human_reject: human?.votes.reject ?? null,
		human_annotators: human ? human.annotators.join(', ') : null
	};
	return { ...fields, ...rest, ...filters, ...review };
}

/**
 * Writes the set (none when no scenario was accepted: an empty table is no set, and an earlier
 * build of it is removed), and merges
 * the run's filter rows into <data>/evolved/vul_evol_filters.jsonl (the notebook's table). The
 * set is what this run built, so every earlier row of the set — of this run or an earlier one
 * (`--limit 10`, then the whole seed set) — is replaced; each row says when it was written
 * (`written_at`), so a candidate in two sets can be counted once, by its latest row.
 */
export async function writeEvolvedSet(
	dataDir: string,
	name: string,
	rows: readonly FilterRow[],
	votes: ReadonlyMap<string, AcceptanceVotes> | null = null
): Promise<{ dir: string; arrow: string | null; jsonl: string | null; count: number; filters: string }> {
	const items = evolvedItems(name, rows, votes);
	const files = evolvedSetFiles(dataDir, name);
	if (items.length > 0) {
		await writeItemsArrow(files.arrow, items.map(({ lineage: _lineage, ...item }) => item));
		await writeFileAtomic(files.jsonl, items.map((i) => JSON.stringify(lineageRow(i))).join('\n') + '\n');
	} else {
		// An earlier build of the same set (before the annotators rejected its scenarios) must not linger.
		rmSync(files.arrow, { force: true });
		rmSync(files.jsonl, { force: true });
	}
	const filters = join(dataDir, 'evolved', FILTER_TABLE_FILE);
	const kept = existsSync(filters)
		? // A regular file only: a FIFO planted there is refused by name, never waited on (the server's event loop).
			readRegularText(filters)
				.split('\n')
				.filter((l) => l.trim() !== '')
				.filter((l) => {
					try {
						const r = JSON.parse(l) as { set?: string };
						return r.set !== name;
					} catch {
						return false; // a damaged line is rebuilt from the runs, not kept
					}
				})
		: [];
	const writtenAt = new Date().toISOString();
	// in_set: did the candidate go into the set as written now (every survivor before any vote,
	// the annotators' majority after) — the notebook's funnel shows it beside the human votes.
	const inSet = new Set(items.map((i) => i.lineage.candidate_id));
	const fresh = rows.map((r) => JSON.stringify({ set: name, ...r, in_set: inSet.has(r.candidate_id), written_at: writtenAt }));
	await writeFileAtomic(filters, [...kept, ...fresh].join('\n') + '\n');
	return { dir: files.dir, arrow: items.length ? files.arrow : null, jsonl: items.length ? files.jsonl : null, count: items.length, filters };
}

/** The filter table of an evolve run (runs/<id>/filters.jsonl), with a clear error per bad line. */
export function readFilterTable(runsDir: string, runId: string): FilterRow[] {
	const file = join(runsDir, checkRunId(runId), FILTERS_FILE);
	let text: string;
	try {
		// A run folder's file: never through a link, never a FIFO (its open would block the server).
		text = new TextDecoder().decode(readFileNoFollow(file));
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

// Vul-Evol survivors to accept or reject: the candidates of every evolve run (runs/<id>/
// filters.jsonl, written by `covw evolve`) that passed every quality filter. A survivor is
// identified by its candidate_id (the evolution unit's id), so labels join the filter table on
// target_id = candidate_id. Each filter file is re-read only when it changes.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { facet, type Facet } from '../../core/labels/queue.ts';
import type { TargetView } from '../../core/labels/target.ts';
import { FILTERS_FILE, recordedFilters, type FilterRow } from '../../runs/evolve/evolve-run.ts';
import { readFilterTable } from '../../runs/evolve/evolved-set.ts';

/** A survivor and what is revealed only after the answer: the run and the model that wrote it. */
export interface SurvivorTarget extends TargetView {
	kind: 'survivor';
	run_id: string;
	model: string;
}

/** One evolve run as the source picker lists it. */
export interface EvolveRunSource {
	run_id: string;
	model: string | null;
	/** Every candidate the run generated, and those that passed every filter. */
	candidates: number;
	survivors: number;
	cwes: Facet[];
}

interface Loaded {
	size: number;
	mtimeMs: number;
	run: EvolveRunSource;
	targets: SurvivorTarget[];
}

export class SurvivorSource {
	private readonly cache = new Map<string, Loaded>();

	/** `runsDir` null: no survivors are offered. */
	constructor(private readonly runsDir: string | null) {}

	/** Evolve runs with their filter tables, by run id. */
	async runs(): Promise<EvolveRunSource[]> {
		return (await this.load()).map((l) => l.run);
	}

	/** The run's survivors in filter-table order; null for a run id that is no finished evolve run. */
	async targets(runId: string): Promise<SurvivorTarget[] | null> {
		return (await this.load()).find((l) => l.run.run_id === runId)?.targets ?? null;
	}

	async get(targetId: string): Promise<SurvivorTarget | null> {
		for (const l of await this.load()) {
			const hit = l.targets.find((t) => t.target_id === targetId);
			if (hit) return hit;
		}
		return null;
	}

	private async load(): Promise<Loaded[]> {
		if (!this.runsDir) return [];
		let names: string[];
		try {
			names = (await readdir(this.runsDir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return [];
			throw error;
		}
		const out: Loaded[] = [];
		for (const name of names.sort()) {
			const file = join(this.runsDir, name, FILTERS_FILE);
			const info = await stat(file).catch(() => null);
			if (!info?.isFile()) {
				this.cache.delete(name);
				continue;
			}
			let entry = this.cache.get(name);
			if (!entry || entry.size !== info.size || entry.mtimeMs !== info.mtimeMs) {
				let rows: FilterRow[];
				try {
					rows = readFilterTable(this.runsDir, name);
				} catch (error) {
					// Named by its place in the runs folder, never by the server's absolute path.
					throw new Error((error as Error).message.replaceAll(join(this.runsDir, name), `runs/${name}`));
				}
				entry = { size: info.size, mtimeMs: info.mtimeMs, ...decode(name, rows) };
				this.cache.set(name, entry);
			}
			out.push(entry);
		}
		return out;
	}
}

function decode(runId: string, rows: readonly FilterRow[]): Pick<Loaded, 'run' | 'targets'> {
	const targets = rows.filter((r) => r.accepted && r.scenario !== null).map((r) => survivorTarget(runId, r));
	return {
		run: { run_id: runId, model: rows[0]?.model ?? null, candidates: rows.length, survivors: targets.length, cwes: facet(targets, (t) => t.cwe) },
		targets
	};
}

export function survivorTarget(runId: string, r: FilterRow): SurvivorTarget {
	return {
		target_id: r.candidate_id,
		kind: 'survivor',
		task: 'completion',
		set: 'vul-evol',
		cwe: r.cwe,
		language: r.language,
		scenario: r.seed_scenario,
		code: r.scenario ?? '',
		prompt_item_id: r.seed_id,
		sample: r.sample,
		evolve: {
			seed_id: r.seed_id,
			seed_code: r.seed_code,
			strategy: r.strategy,
			sample: r.sample,
			filters: recordedFilters(r).map((f) => ({ filter: f.filter, outcome: String(f.outcome), reason: f.reason }))
		},
		run_id: runId,
		model: r.model
	};
}

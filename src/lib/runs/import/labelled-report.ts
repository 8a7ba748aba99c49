// How each judge of a judge run did on a labelled set: consistency, TPR, TNR, Cohen's κ, Diff
// (all with bootstrap CIs), overall, per CWE and per language; pair accuracy (the vulnerable
// "before" called vulnerable AND the secure "after" called secure) when the set has pairs;
// programs in a language no judge reads counted as unsupported; programs of the set this judge
// gave no verdict counted too. Used by `covw runs show`.
import { labelledScore, pairAccuracy, type LabelledScore, type PairAccuracy } from '../../core/metrics/labelled-agreement.ts';
import type { JudgePair } from '../../core/metrics/evaluator.ts';
import type { ResultRow } from '../../engine/types.ts';
import type { RunRecord } from '../run-list.ts';
import type { LabelledSet } from './labelled-set.ts';

const BOOTSTRAP = { resamples: 1000, seed: 1 };

export interface LabelledJudgeReport {
	judge: string;
	/** Programs of the set this judge has no row for (e.g. an analyzer of another language). */
	without_row: number;
	overall: LabelledScore;
	per_cwe: { group: string; score: LabelledScore }[];
	per_language: { group: string; score: LabelledScore }[];
	pairs: PairAccuracy | null;
}

export interface LabelledReport {
	set: string;
	items: number;
	unsupported: Record<string, number>;
	judges: LabelledJudgeReport[];
}

/** The labelled set a judge run judged, from its params (null for runs of something else). */
export function labelledSetNameOf(run: RunRecord): string | null {
	const source = run.manifest.params?.source as { items?: unknown } | undefined;
	return typeof source?.items === 'string' ? source.items : null;
}

function scoresBy(rows: { pair: JudgePair; key: string }[]): { group: string; score: LabelledScore }[] {
	const groups = new Map<string, JudgePair[]>();
	for (const r of rows) groups.set(r.key, [...(groups.get(r.key) ?? []), r.pair]);
	return [...groups.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((group) => ({ group, score: labelledScore(groups.get(group)!, BOOTSTRAP) }));
}

export function labelledReport(run: RunRecord, set: LabelledSet): LabelledReport {
	const byId = new Map(set.items.map((i) => [i.item_id, i]));
	const byJudge = new Map<string, ResultRow[]>();
	for (const row of run.rows) {
		const judge = typeof row.meta.judge === 'string' ? row.meta.judge : '(unknown)';
		byJudge.set(judge, [...(byJudge.get(judge) ?? []), row]);
	}
	const judges: LabelledJudgeReport[] = [];
	for (const [judge, rows] of byJudge) {
		const scored = rows
			.map((r) => ({ r, item: byId.get(String(r.meta.item_id)) }))
			.filter((x) => x.item !== undefined)
			.map(({ r, item }) => ({
				item: item!,
				verdict: r.status === 'ok' && typeof r.meta.vulnerable === 'boolean' ? r.meta.vulnerable : null,
				pair: { judge: r.status === 'ok' && typeof r.meta.vulnerable === 'boolean' ? r.meta.vulnerable : null, judge_status: r.status, reference: item!.label === 'vulnerable' } as JudgePair
			}));
		const verdictOf = new Map(scored.map((s) => [s.item.item_id, s.verdict]));
		const pairMembers = new Map<string, { before?: string; after?: string }>();
		for (const item of set.items) {
			if (!item.scenario) continue;
			const p = pairMembers.get(item.scenario) ?? {};
			if (item.label === 'vulnerable') p.before = item.item_id;
			else p.after = item.item_id;
			pairMembers.set(item.scenario, p);
		}
		const complete = [...pairMembers.values()].filter((p) => p.before && p.after);
		judges.push({
			judge,
			without_row: set.items.length - scored.length,
			overall: labelledScore(scored.map((s) => s.pair), BOOTSTRAP),
			per_cwe: scoresBy(scored.map((s) => ({ pair: s.pair, key: s.item.cwe }))),
			per_language: scoresBy(scored.map((s) => ({ pair: s.pair, key: s.item.language }))),
			pairs: complete.length === 0 ? null : pairAccuracy(complete.map((p) => ({ before: verdictOf.get(p.before!) ?? null, after: verdictOf.get(p.after!) ?? null })), BOOTSTRAP)
		});
	}
	return { set: set.meta.name, items: set.items.length, unsupported: set.meta.unsupported, judges };
}

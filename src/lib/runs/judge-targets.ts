// What a judge run judges: the answers of a generation run (read from its log, never
// regenerated), or benchmark items themselves (e.g. the Pearce reference programs).
import { join } from 'node:path';
import { isCweId, type CweId, type Language } from '../core/cwe.ts';
import type { Item, ItemSet } from '../core/items/item.ts';
import { MANIFEST_FILE, readManifest } from '../engine/manifest.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from '../engine/run-log.ts';
import { checkRunId } from '../engine/run-id.ts';
import type { ResultRow } from '../engine/types.ts';
import type { JudgeDescriptor } from '../judges/judge.ts';
import type { JudgeTarget } from '../judges/target.ts';

export type { JudgeTarget };

export interface TargetSet {
	targets: JudgeTarget[];
	/** Generation units that failed (status 'error'): not judged, counted. */
	failedGenerations: number;
	/** Generation answers with no program in them (status 'no_code'): not judged, counted. */
	noCodeGenerations?: number;
	/** Units of the generation run with no row yet (a run still going or interrupted). */
	pendingGenerations: number;
	/** What the judge run's manifest records about its input. */
	source: { kind: 'run'; run_id: string; dataset_hash: string | null } | { kind: 'items'; set: ItemSet; dataset_hash: null };
	warnings: string[];
}

export class TargetError extends Error {}

/** None of the targets is of a kind the judge judges (e.g. no program in an analyzer's language). */
export class NoMatchingTargetsError extends TargetError {}

/**
 * The targets a judge judges (its languages, CWEs and target kinds); the others get no verdict
 * row and are counted apart: `otherLanguage` (code the judge does not read) and `notApplicable`
 * (its language, but a CWE it cannot report: an analyzer without a check for it, or a CWE outside
 * the benchmark's 18 for every judge but the models, which are asked about any CWE). A target of
 * a task the judge cannot read at all is an error (judging a completion run with the detection
 * parsers is a mistake, not a partial match).
 */
export function acceptedTargets(
	judge: JudgeDescriptor,
	spec: string,
	targets: readonly JudgeTarget[]
): { accepted: JudgeTarget[]; outside: number; otherLanguage: number; notApplicable: number } {
	const { languages, cwes, tasks } = judge.accepts;
	const wrongTask = targets.find((t) => !(tasks as readonly string[]).includes(t.task));
	if (wrongTask) throw new TargetError(`judge "${spec}" reads ${tasks.join(' or ')} targets, not ${wrongTask.task} ones; judge a run of one of those tasks`);
	// A model judge is passed a CWE outside the 18 (its prompt names it); no other judge has a rule or check for one.
	const anyCwe = judge.execution.via === 'engine';
	const inLanguage = targets.filter((t) => languages.includes(t.language));
	const accepted = inLanguage.filter((t) => cwes.includes(t.cwe) || (anyCwe && !isCweId(t.cwe)));
	if (targets.length > 0 && accepted.length === 0) {
		throw new NoMatchingTargetsError(`${spec} reads ${languages.join(' and ')} code${cwes.length < 18 ? ` for ${cwes.join(', ')}` : ''}; none of the ${targets.length} target(s) is one`);
	}
	return { accepted, outside: targets.length - accepted.length, otherLanguage: targets.length - inLanguage.length, notApplicable: inLanguage.length - accepted.length };
}

/**
 * The answers of a generation run. `logged`: the run's rows one per unit, exactly what
 * latestRowPerUnit over its log gives (RunSession.loggedRows, which is null whenever reading
 * the log would warn), from the writer that just ended the run: the log is then not read again.
 */
export function targetsFromRun(runsDir: string, runId: string, logged?: readonly ResultRow[]): TargetSet {
	const runDir = join(runsDir, checkRunId(runId, 'source run id'));
	const manifest = readManifest(join(runDir, MANIFEST_FILE));
	if (!manifest) throw new TargetError(`no run "${runId}" in ${runsDir} (no ${MANIFEST_FILE})`);
	if (manifest.kind !== 'generation') throw new TargetError(`run "${runId}" is a ${manifest.kind} run; judge a generation run`);
	const read = logged ? null : readRunLog(join(runDir, LOG_FILE));
	const warnings = read?.warnings ?? [];
	const latest = logged ?? [...latestRowPerUnit(read!.rows).values()];
	const targets: JudgeTarget[] = [];
	let failed = 0;
	let noCode = 0;
	for (const row of latest) {
		if (row.status === 'no_code') {
			noCode++;
			continue;
		}
		if (row.status !== 'ok') {
			failed++;
			continue;
		}
		targets.push(targetOfRow(row));
	}
	return {
		targets,
		failedGenerations: failed,
		noCodeGenerations: noCode,
		pendingGenerations: Math.max(0, manifest.counts.total - latest.length),
		source: { kind: 'run', run_id: runId, dataset_hash: manifest.dataset_hash },
		warnings: noCode > 0 ? [...warnings, `${noCode} generation(s) of run ${runId} hold no code and are not judged (counted as no_code)`] : warnings
	};
}

/** The judge target an 'ok' generation row is. */
export function targetOfRow(row: ResultRow): JudgeTarget {
	const m = row.meta;
	return {
		target_id: row.unit_id,
		item_id: String(m.item_id),
		model: m.model === null || m.model === undefined ? null : String(m.model),
		sample: row.sample,
		task: String(m.task),
		cwe: String(m.cwe) as CweId,
		language: String(m.language) as Language,
		scenario: String(m.scenario ?? ''),
		code: typeof m.code === 'string' ? m.code : '',
		response: row.response ?? '',
		label: typeof m.label === 'string' ? m.label : null,
		label_class: typeof m.label_class === 'string' ? m.label_class : null
	};
}

export function targetsFromItems(items: readonly Item[], set: ItemSet): TargetSet {
	const chosen = items.filter((i) => i.set === set);
	if (chosen.length === 0) throw new TargetError(`no items of set "${set}" (import the benchmark with covw data import)`);
	return {
		targets: chosen.map((i) => ({
			target_id: i.item_id,
			item_id: i.item_id,
			model: null,
			sample: 0,
			task: i.task,
			cwe: i.cwe,
			language: i.language,
			scenario: i.scenario,
			code: i.code,
			response: i.code,
			label: i.label,
			label_class: i.label_class
		})),
		failedGenerations: 0,
		pendingGenerations: 0,
		source: { kind: 'items', set, dataset_hash: null },
		warnings: []
	};
}

// The executor of ensemble judges (judges/ensemble/): every member is checked and its run id
// named before any work; a member run that is complete (state completed, a row for every target
// it judges) is only read — never re-opened, so its sessions and finish time stay its own; an
// incomplete or missing one runs (or resumes) as its own judge run over the same source. Then
// each target's member verdicts are read from those runs' logs and combined
// (judges/ensemble/combine.ts). A complete member's error rows are read as they are (judging
// with that member alone retries them). The member run ids are in the
// ensemble's params: a new member run (e.g. a new tool version) is a new ensemble run.
// A target no member judges gets no row; a target where any member that judges it has no
// verdict is an 'error' row saying which ones — never a verdict from the others alone (that
// would score only what they flag) — and is combined again on resume.
import { isCweId } from '../core/cwe.ts';
import { unitId } from '../engine/canonical-json.ts';
import { type Manifest, MANIFEST_FILE, readManifest } from '../engine/manifest.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from '../engine/run-log.ts';
import type { ResultRow } from '../engine/types.ts';
import type { MemberVote } from '../judges/ensemble/combine.ts';
import { combineForTarget, parseEnsembleSpec } from '../judges/ensemble/ensemble-judge.ts';
import type { JudgeDescriptor } from '../judges/judge.ts';
import { findJudge } from '../judges/registry.ts';
import { targetMeta, type JudgeTarget } from '../judges/target.ts';
import { join } from 'node:path';
import { writeDirectRun, type DirectUnit } from './direct-run.ts';
import type { JudgeSource } from './judge-source.ts';
import { NoMatchingTargetsError, TargetError } from './judge-targets.ts';
import { derivedRunId } from './run-ids.ts';

/** The version of the combination rule, part of every ensemble run's identity. */
export const ENSEMBLE_COMBINE_VERSION = 2;

export function ensembleRunIdentity(
	spec: string,
	members: readonly { judge: string; runId: string }[],
	{ source, name }: JudgeSource
): { runId: string; params: Record<string, unknown> } {
	const parsed = parseEnsembleSpec(spec);
	if ('error' in parsed) throw new TargetError(parsed.error);
	// `combine` names how member verdicts are combined (judges/ensemble/combine.ts): 2 gives a
	// verdict only where every member that reads the target gave one. A change of that rule is a
	// new run, so a resumed run never mixes rows combined both ways.
	const params = { kind: 'judge', judge: parsed.canonical, rule: parsed.rule, combine: ENSEMBLE_COMBINE_VERSION, ...(parsed.table ? { routes: parsed.table.version } : {}), members: members.map((m) => ({ judge: m.judge, run: m.runId })), source };
	return { runId: derivedRunId('judge', ['ensemble', parsed.rule, name], params), params };
}

export interface EnsembleRunOptions {
	spec: string;
	judge: JudgeDescriptor;
	targets: readonly JudgeTarget[];
	source: JudgeSource;
	sourceRunId: string | null;
	runsDir: string;
	runId?: string;
	datasetHash: string | null;
	onWarning: (message: string) => void;
	/** Fails (before any member runs) when an analyzer member's tool is missing. */
	requireTool(name: string): Promise<unknown>;
	/** Runs one member judge over the same source (a judge run of its own). */
	runMember(spec: string): Promise<{ runId: string; requests: number }>;
	/** The run id a member's run has (or would have) over the same source; throws when the member cannot run (e.g. a model no endpoint offers). */
	memberRunId(spec: string): Promise<string>;
}

export interface EnsembleRunResult {
	runId: string;
	manifest: Manifest;
	requests: number;
	/** Targets no member judges: no row. */
	outside: number;
	members: { judge: string; runId: string }[];
}

/** Does this member judge this target (its language and CWE; a CWE outside the 18 only a model judges, as acceptedTargets says)? */
function judges(member: JudgeDescriptor, t: JudgeTarget): boolean {
	return member.accepts.languages.includes(t.language) && (member.accepts.cwes.includes(t.cwe) || (member.execution.via === 'engine' && !isCweId(t.cwe)));
}

/**
 * A member run's latest row per target id when the run is complete — its manifest says
 * completed with nothing pending, and it has a row for each of `targets` — else null (it must
 * run or resume). Reading takes no lock and writes nothing.
 */
export function completeMemberRows(runsDir: string, runId: string, targets: readonly JudgeTarget[]): { rows: Map<string, ResultRow>; errors: number } | null {
	if (targets.length === 0) return null;
	const manifest = readManifest(join(runsDir, runId, MANIFEST_FILE));
	if (!manifest || manifest.state !== 'completed' || manifest.counts.pending > 0) return null;
	const latest = latestRowPerUnit(readRunLog(join(runsDir, runId, LOG_FILE)).rows);
	const rows = new Map([...latest.values()].map((row) => [String(row.meta.target_id), row]));
	let errors = 0;
	for (const t of targets) {
		const row = rows.get(t.target_id);
		if (!row) return null;
		if (row.status === 'error') errors++;
	}
	return { rows, errors };
}

export async function runEnsemble(o: EnsembleRunOptions): Promise<EnsembleRunResult> {
	const parsed = parseEnsembleSpec(o.spec);
	if ('error' in parsed) throw new TargetError(parsed.error);
	const members = parsed.members.map((spec) => ({ spec, judge: findJudge(spec)! }));
	// Every member must be able to run before any of them does.
	for (const m of members) if (m.judge.execution.via === 'tool') await o.requireTool(m.judge.execution.tool.name);
	const memberRuns = new Map<string, string>();
	for (const m of members) memberRuns.set(m.spec, await o.memberRunId(m.spec));

	const ran: { judge: string; runId: string }[] = [];
	const rowsOf = new Map<string, Map<string, ResultRow>>();
	let requests = 0;
	for (const m of members) {
		const runId = memberRuns.get(m.spec)!;
		const complete = completeMemberRows(o.runsDir, runId, o.targets.filter((t) => judges(m.judge, t)));
		if (complete) {
			ran.push({ judge: m.spec, runId });
			rowsOf.set(m.spec, complete.rows);
			if (complete.errors > 0) o.onWarning(`ensemble: ${m.spec} run ${runId} is complete with ${complete.errors} error row(s), read as they are (judge with ${m.spec} alone to retry them)`);
			continue;
		}
		try {
			const out = await o.runMember(m.spec);
			requests += out.requests;
			ran.push({ judge: m.spec, runId: out.runId });
			const latest = latestRowPerUnit(readRunLog(join(o.runsDir, out.runId, LOG_FILE)).rows);
			rowsOf.set(m.spec, new Map([...latest.values()].map((row) => [String(row.meta.target_id), row])));
		} catch (e) {
			// A member that judges none of these targets (e.g. a C analyzer over Python) simply has no say.
			if (!(e instanceof NoMatchingTargetsError)) throw e;
			o.onWarning(`ensemble: ${m.spec} judges none of these targets (${e.message})`);
		}
	}

	const mine = o.targets.filter((t) => members.some((m) => rowsOf.has(m.spec) && judges(m.judge, t)));
	if (o.targets.length > 0 && mine.length === 0) throw new NoMatchingTargetsError(`no member of ${parsed.canonical} judges any of the ${o.targets.length} target(s)`);
	const identity = ensembleRunIdentity(o.spec, ran, o.source);
	const runId = o.runId ?? identity.runId;
	const units: DirectUnit[] = mine.map((t) => ({
		id: unitId({ judge: parsed.canonical, target_id: t.target_id }),
		sample: t.sample,
		meta: targetMeta(t, parsed.canonical, o.sourceRunId),
		compute: () => {
			const votes: MemberVote[] = members
				.filter((m) => rowsOf.has(m.spec) && judges(m.judge, t))
				.map((m) => {
					const row = rowsOf.get(m.spec)!.get(t.target_id);
					if (!row) return { judge: m.spec, vulnerable: null, why: 'no row' };
					if (row.status !== 'ok' || typeof row.meta.vulnerable !== 'boolean') {
						return { judge: m.spec, vulnerable: null, why: row.status === 'ok' ? 'no verdict' : `${row.status}${row.error ? `: ${row.error.slice(0, 120)}` : ''}` };
					}
					return { judge: m.spec, vulnerable: row.meta.vulnerable };
				});
			const combined = combineForTarget(parsed, t, votes);
			const response = JSON.stringify({ rule: parsed.rule, votes: votes.map((v) => ({ judge: v.judge, vulnerable: v.vulnerable, ...(v.why ? { why: v.why } : {}) })) });
			if (combined.vulnerable === null) {
				return { status: 'error' as const, response, error: `no verdict: ${combined.reason}`, fields: { vulnerable: null, rule: null, line: null } };
			}
			return { status: 'ok' as const, response, error: null, fields: { vulnerable: combined.vulnerable, rule: combined.deciders.join('+'), line: null } };
		}
	}));
	const result = writeDirectRun({ runsDir: o.runsDir, runId, kind: 'judge', params: identity.params, datasetHash: o.datasetHash, units, onWarning: o.onWarning });
	return { runId, manifest: result.manifest, requests, outside: o.targets.length - mine.length, members: ran };
}

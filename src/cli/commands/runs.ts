// `covw runs` lists every run; `covw runs show <id>` prints one run's manifest and its scores
// (security rate, detection scores, agreement with labels) through the core metrics, with
// failed and unreadable judgements counted apart.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, readManifest, type Manifest } from '../../lib/engine/manifest.ts';
import { drainedReplicaLines } from '../../lib/engine/replicas.ts';
import { LOCK_FILE } from '../../lib/engine/run-lock.ts';
import { answersCutRows, answersCutText, usageImplausibleRows, usageImplausibleText, usageInvalid, usageInvalidRows } from '../../lib/engine/types.ts';
import { batchSummary, type BatchSummary } from '../../lib/engine/batch/batch-summary.ts';
import { listRunIds, readRun, liveCounts, runStateOf, type RunRecord } from '../../lib/runs/run-list.ts';
import { ensembleMembers, rowsCost, runCost, type CostPart } from '../../lib/runs/run-cost.ts';
import type { JudgeSummary, RunSummary } from '../../lib/runs/run-summary.ts';
import type { Interval } from '../../lib/core/stats/bootstrap.ts';
import { checkRunId } from '../../lib/engine/run-id.ts';
import type { LabelledReport } from '../../lib/runs/import/labelled-report.ts';
import { isLegacyCarriedRun } from '../../lib/runs/import/carried-legacy.ts';
import { kappaText } from '../../lib/core/stats/agreement.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { shellCommand } from '../shell-quote.ts';
import { parseFlags, runFolders } from '../flags.ts';
import { lazyModule } from '../lazy-module.ts';
import { srText } from '../sr-line.ts';
import { compactedUsageImplausible } from '../../lib/runs/compacted-summary.ts';
import { printable, printableJson, printableLines } from '../../lib/core/text/printable.ts';

export const runsListCommand: Command = {
	words: ['runs'],
	summary: 'list the runs (generation and judge) with their status counts',
	usage: 'Usage: covw runs [--json]\n\nOne line per run in the runs folder ($COVW_RUNS, default runs/), oldest first.',
	run: async (ctx) => {
		const flags = parseFlags('runs', ctx.args, { json: 'bool' });
		if (flags.positional.length > 0) throw new CliError(`runs: unknown argument "${flags.positional[0]}" (did you mean ${shellCommand(['covw', 'runs', 'show', flags.positional[0]])}?)`);
		const { runsDir } = runFolders(ctx);
		const runs = listedRuns(runsDir, (m) => ctx.stderr(`warning: ${printable(m)}\n`));
		// An ensemble's member runs, read once (its cost, and the note below, are theirs).
		const memberParts = new Map<string, ReturnType<typeof memberRunsOf>>();
		const members = (m: Manifest) => {
			if (!memberParts.has(m.run_id)) memberParts.set(m.run_id, memberRunsOf(runsDir, m));
			return memberParts.get(m.run_id);
		};
		if (flags.bools.has('json')) {
			ctx.stdout(`${printableJson(JSON.stringify(runs.map((r) => ({ ...r.manifest, ...ensembleCost(r.manifest, members(r.manifest)), counts: r.counts, interrupted: r.interrupted, usage_implausible_rows: implausibleOf(r, members(r.manifest)) })), null, 2))}\n`);
			return 0;
		}
		if (runs.length === 0) {
			ctx.stdout(`no runs in ${printable(runsDir)}\n`);
			return 0;
		}
		const rows = runs.map(listRow);
		const header = ['run_id', 'kind', 'model/judge', 'state', 'ok', 'error', 'unparsed', 'no_code', 'pending', 'started'];
		// Runs whose tokens and cost may be inflated (as /runs and `covw runs show` say it), under the table.
		const notes = runs.flatMap((r) => {
			const n = implausibleOf(r, members(r.manifest));
			return n > 0 ? [implausibleNote(r.manifest, n)] : [];
		});
		ctx.stdout(`${printableLines([...alignRows([header, ...rows]), ...(notes.length ? ['', ...notes] : [])].join('\n'))}\n`);
		return 0;
	}
};

type Counts = ReturnType<typeof liveCounts>;

/**
 * Every run with its status counts, oldest first (as readAllRuns orders them). A run that
 * finished (a final state, no writer's lock) has its counts in its manifest, written from its
 * rows when it finished: its log is not read. A run still going, or stopped without finishing,
 * is counted from its log.
 */
interface Listed {
	manifest: Manifest;
	counts: Counts;
	/** 'running' in its manifest, but no live process holds its lock: stopped or crashed. */
	interrupted: boolean;
	/** Seconds since its writer's last heartbeat (the lock's mtime) when 'running' and not judged gone: see silentState. */
	silentS?: number;
	/** Its rows whose usage is implausible (engine/types.ts usageImplausible): from its rows when they were read, else its compacted file's summary; 0 when not known. */
	implausible: number;
}

/** A listed run's rows whose usage is implausible; an ensemble's are its member runs' (its cost is theirs: run-cost.ts runCost). */
function implausibleOf(run: Listed, memberRun: ((runId: string) => CostPart | null) | undefined): number {
	return run.implausible + (memberRun ? (runCost(run.manifest, null, memberRun).membersImplausible ?? 0) : 0);
}

/** The line under `covw runs` for a run whose usage is implausible, in the words of /runs and `covw runs show`. */
export function implausibleNote(m: Manifest, rows: number): string {
	return `${m.run_id}: usage implausible on ${rows} row${rows === 1 ? '' : 's'}${ensembleMembers(m) ? " of its member runs" : ''}: tokens and cost may be inflated (${shellCommand(['covw', 'runs', 'show', m.run_id])})`;
}

/** A writer touches its lock every 5 s: two beats missed, and it may be gone. */
const SILENT_S = 11;

/**
 * The state cell of a 'running' run whose writer has missed its heartbeats: the CLI (Deno, no
 * --allow-run, no /proc) cannot ask whether a web server's pid still lives, so a killed server's
 * run reads 'running' until its lock is 30 s old (engine/run-lock.ts); meanwhile it says so.
 */
export function silentState(state: string, silentS: number | undefined): string {
	return state === 'running' && silentS !== undefined && silentS >= SILENT_S ? `running? (no heartbeat for ${Math.floor(silentS)} s; interrupted if none by 30 s)` : state;
}

function lockSilence(runsDir: string, id: string): number | undefined {
	try {
		return (Date.now() - statSync(join(runsDir, id, LOCK_FILE)).mtimeMs) / 1000;
	} catch {
		return undefined;
	}
}

function listedRuns(runsDir: string, warn: (m: string) => void): Listed[] {
	const out: Listed[] = [];
	for (const id of listRunIds(runsDir)) {
		let manifest: Manifest | null;
		try {
			manifest = readManifest(join(runsDir, id, MANIFEST_FILE));
		} catch (e) {
			warn((e as Error).message);
			continue;
		}
		if (!manifest) continue;
		// (An import's carried verdicts from before code-less answers were kept from verdicts: its
		// manifest counts them as verdicts; its rows, read, do not.)
		if (manifest.state !== 'running' && !existsSync(join(runsDir, id, LOCK_FILE)) && !isLegacyCarriedRun(manifest)) {
			const c = manifest.counts;
			out.push({ manifest, counts: { total: c.total, ok: c.ok, error: c.error, unparsed: c.unparsed, no_code: c.no_code ?? 0, pending: c.pending, cached: c.cached }, interrupted: false, implausible: compactedUsageImplausible(join(runsDir, id), manifest.kind) ?? 0 });
			continue;
		}
		const run = readRun(runsDir, id, warn);
		if (!run) continue;
		// Tokens and cost of the rows on disk (as runs show and the run page say them), not the manifest's last totals.
		const tokens = rowTokenTotals(run);
		const interrupted = runStateOf(runsDir, id, run.manifest) === 'interrupted';
		const silentS = run.manifest.state === 'running' && !interrupted ? lockSilence(runsDir, id) : undefined;
		out.push({ manifest: { ...run.manifest, tokens, cost_usd: rowsCost(run.manifest, tokens) }, counts: liveCounts(run), interrupted, silentS, implausible: usageImplausibleRows(run.rows) });
	}
	return out.sort((a, b) => a.manifest.started_at.localeCompare(b.manifest.started_at) || a.manifest.run_id.localeCompare(b.manifest.run_id));
}

/** An ensemble's cost and why it is unknown (its member runs', run-cost.ts runCost); nothing for any other run, whose manifest has its own. */
function ensembleCost(manifest: Manifest, members: ((runId: string) => CostPart | null) | undefined): { cost_usd: number | null; cost_why: string | null } | Record<string, never> {
	if (!members) return {};
	const cost = runCost(manifest, null, members);
	return { cost_usd: cost.usd, cost_why: cost.why };
}

function listRow(run: Listed): string[] {
	const m = run.manifest;
	const c = run.counts;
	const who = printable(String(m.params?.model ?? m.params?.judge ?? '') + (m.params?.template ? ` (${m.params.template})` : ''));
	return [m.run_id, m.kind, who, run.interrupted ? 'interrupted' : silentState(m.state, run.silentS), String(c.ok), String(c.error), String(c.unparsed), String(c.no_code), String(c.pending), m.started_at.slice(0, 19).replace('T', ' ')];
}

function alignRows(rows: string[][]): string[] {
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

export const runsShowCommand: Command = {
	words: ['runs', 'show'],
	summary: 'one run: manifest, status counts and scores',
	usage: 'Usage: covw runs show <run-id> [--json]',
	run: async (ctx) => {
		const flags = parseFlags('runs show', ctx.args, { json: 'bool' });
		if (flags.positional.length !== 1) throw new CliError(`runs show: expected one run id\n\n${runsShowCommand.usage}`);
		const { runsDir } = runFolders(ctx);
		let runId: string;
		try {
			runId = checkRunId(flags.positional[0]);
		} catch (e) {
			throw new CliError(`runs show: ${(e as Error).message}`);
		}
		const run = readRun(runsDir, runId, (m) => ctx.stderr(`warning: ${printable(m)}\n`));
		if (!run) throw new CliError(`runs show: no run "${flags.positional[0]}" in ${runsDir}`);
		// Loaded here, not at start: `covw runs` (the listing) needs none of them.
		// Through lazyModule (../lazy-module.ts): literal imports would make Deno read them (~170
		// modules) before even the listing starts.
		const [{ sourceRunIdOf, summarizeRun }, { loadLabelledSet }, { labelledReport, labelledSetNameOf }, { oldReleasedImport }] = await Promise.all([
			lazyModule<typeof import('../../lib/runs/run-summary.ts')>(import.meta.url, '../../lib/runs/run-summary.ts'),
			lazyModule<typeof import('../../lib/runs/import/labelled-set.ts')>(import.meta.url, '../../lib/runs/import/labelled-set.ts'),
			lazyModule<typeof import('../../lib/runs/import/labelled-report.ts')>(import.meta.url, '../../lib/runs/import/labelled-report.ts'),
			lazyModule<typeof import('../../lib/runs/import/coveval-released.ts')>(import.meta.url, '../../lib/runs/import/coveval-released.ts')
		]);
		// A run of an old import of the released results (as the run page and the released-results notebook say).
		const oldImport = oldReleasedImport(run.manifest) && oldReleasedImport(run.manifest, otherManifests(runsDir, runId));
		const sourceId = sourceRunIdOf(run);
		const summary = summarizeRun(run, sourceId ? readRun(runsDir, sourceId) : null);
		// A judge run of a labelled set (covw import --labelled): its agreement report.
		const setName = run.manifest.kind === 'judge' ? labelledSetNameOf(run) : null;
		const set = setName ? await loadLabelledSet(runFolders(ctx).dataDir, setName) : null;
		const labelled = set ? labelledReport(run, set) : null;
		// An ensemble's cost is its member runs' (run-cost.ts runCost).
		const cost = runCost(run.manifest, rowTokenTotals(run), memberRunsOf(runsDir, run.manifest));
		if (flags.bools.has('json')) {
			ctx.stdout(`${printableJson(JSON.stringify({ manifest: run.manifest, state: runStateOf(runsDir, runId, run.manifest), tokens: rowTokenTotals(run), cost_usd: cost.usd, cost_why: cost.why, usage_unreadable_rows: usageInvalidRows(run.rows), usage_implausible_rows: usageImplausibleRows(run.rows) + (cost.membersImplausible ?? 0), answers_cut_rows: answersCutRows(run.rows), batch: batchSummary(runsDir, runId, run.manifest.params), old_import: oldImport, summary, labelled }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2))}\n`);
			return 0;
		}
		const m = run.manifest;
		const c = summary.counts;
		// The state `covw runs` and the run page say (run-list.ts): 'interrupted' when no process writes it.
		const state = runStateOf(runsDir, runId, m);
		// Tokens and cost of the answers on disk (run-cost.ts), as the run page says them: a session
		// that died leaves its manifest's totals behind; "so far" while the run is not finished.
		const t = rowTokenTotals(run);
		const soFar = state === 'running' || state === 'interrupted' ? ' so far' : '';
		// A batch run: its batches as last recorded, its price, and the command that picks it up (batch-summary.ts).
		const batch = batchSummary(runsDir, runId, m.params);
		const resumeHow = !batch ? 'run the same command again to resume' : batch.via === 'openai' ? `its batch goes on at the provider; ${batch.resume} picks it up` : `to go on: ${batch.resume}`;
		const lines = [
			`run ${m.run_id} (${m.kind}): ${state}${state === 'interrupted' ? ` (no process is writing it any more: ${resumeHow})` : ''}`,
			...(oldImport
				? [
						`  old import    this run is ${oldImport.what}.`,
						oldImport.newer.length > 0
							? `                its file has been imported again (today's judge runs: ${oldImport.newer.join(', ')}): this old run can be removed`
							: `                to import its file again (today's judge runs are written beside this one, which stays until you remove it): ${oldImport.command}`
					]
				: []),
			`  params        ${printable(JSON.stringify(m.params))}`,
			`  dataset hash  ${m.dataset_hash ?? '-'}`,
			`  started       ${m.started_at}${m.sessions.length > 1 ? ` (${m.sessions.length} sessions)` : ''}`,
			`  finished      ${m.finished_at ?? '-'}`,
			`  units         ${c.total}: ok ${c.ok}, error ${c.error}, unparsed ${c.unparsed}, no code ${c.no_code}, pending ${c.pending}, cached ${c.cached}`,
			`  tokens        ${t.in} in / ${t.out} out (from cache: ${t.cached_in} / ${t.cached_out})${soFar}`,
			`  cost          ${cost.usd === null ? `-${cost.why ? ` (${cost.why})` : ''}` : `$${cost.usd.toFixed(4)}${soFar}${batch?.price_note ? ` (${batch.price_note})` : ''}`}`
		];
		if (batch) lines.push(...batchLines(batch, state));
		// Answers that stopped at the token limit: kept, never silently whole (engine/types.ts ANSWER_CUT).
		const cut = answersCutRows(run.rows);
		if (cut > 0) lines.push(`  cut answers   ${answersCutText(cut)}`);
		// Answers whose endpoint sent a usage that is no count (chat-client.ts usageOf): not summed.
		const unreadable = usageInvalidRows(run.rows);
		if (unreadable > 0) lines.push(`  usage unreadable on ${unreadable} row(s): tokens and cost are lower bounds`);
		// Answers whose endpoint reported more tokens than the answer or prompt could take (engine/types.ts usageImplausible): summed, not trusted.
		// An ensemble's cost is its member runs': their rows count here.
		const implausible = usageImplausibleRows(run.rows) + (cost.membersImplausible ?? 0);
		if (implausible > 0) lines.push(`  usage ${usageImplausibleText(implausible)}${cost.membersImplausible ? " (rows of its member runs)" : ''}`);
		for (const l of drainedReplicaLines(m.replicas_drained)) lines.push(`  ${l}`);
		if (labelled) lines.push('', ...labelledLines(labelled));
		else for (const j of summary.judges) lines.push('', ...judgeLines(j, summary));
		const errors = run.rows.filter((r) => r.status === 'error').slice(0, 5);
		if (errors.length > 0) lines.push('', 'first errors:', ...errors.map((r) => `  ${printable(r.unit_id)}: ${printable(r.error ?? '')}`));
		ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
		return 0;
	}
};

/** A batch run's lines for covw runs show: how it is sent, each batch as last recorded, and the command that goes on with it. */
function batchLines(b: BatchSummary, state: string): string[] {
	const lines = [`  batch         ${b.via === 'openai' ? 'OpenAI Batch API' : "vLLM run_batch export"}; ${b.batches.length} batch(es)${b.unreadable ? `: ${b.unreadable}` : ''}`];
	for (const r of b.batches) {
		const seen = !r.ingested && (state === 'interrupted' || state === 'cancelled') ? `${r.status} when last polled` : r.status;
		lines.push(`                #${r.seq} ${r.batch_id ?? (b.via === 'vllm' ? 'export' : '(not created yet)')}: ${r.units} unit(s), ${seen}${r.ingested ? ', ingested' : ''} (updated ${r.updated_at.slice(0, 19).replace('T', ' ')})`);
	}
	if (state !== 'completed') lines.push(`  resume        ${b.resume}`, `  status        ${b.status}`);
	return lines;
}

/** An ensemble's member runs, read from the runs folder (what its cost is made of); undefined for any other run. */
/** The manifests of the other runs of the runs folder (an old released import's note names today's imports of its file). */
function otherManifests(runsDir: string, runId: string): Manifest[] {
	const out: Manifest[] = [];
	for (const id of listRunIds(runsDir)) {
		if (id === runId) continue;
		try {
			const m = readManifest(join(runsDir, id, MANIFEST_FILE));
			if (m) out.push(m);
		} catch {
			// An unreadable manifest names no newer import.
		}
	}
	return out;
}

function memberRunsOf(runsDir: string, manifest: Manifest): ((runId: string) => CostPart | null) | undefined {
	const members = ensembleMembers(manifest);
	if (members === null) return undefined;
	const parts = new Map<string, CostPart>();
	for (const { run: id } of members) {
		const run = readRun(runsDir, id);
		if (run) parts.set(id, { manifest: run.manifest, rowTokens: rowTokenTotals(run), usageImplausible: usageImplausibleRows(run.rows) });
	}
	return (runId) => parts.get(runId) ?? null;
}

/**
 * Tokens of a run's rows, the cached answers' apart (never below the manifest's totals). A row
 * whose usage is unreadable (negative, absurd: engine/types.ts usageInvalid) adds nothing, and
 * a manifest total that is no count is not taken either.
 */
function rowTokenTotals(run: RunRecord): { in: number; out: number; cached_in: number; cached_out: number } {
	const t = { in: 0, out: 0, cached_in: 0, cached_out: 0 };
	for (const row of run.rows) {
		if (usageInvalid(row)) continue;
		if (row.cached) {
			t.cached_in += row.tokens_in ?? 0;
			t.cached_out += row.tokens_out ?? 0;
		} else {
			t.in += row.tokens_in ?? 0;
			t.out += row.tokens_out ?? 0;
		}
	}
	const m = run.manifest.tokens;
	return { in: Math.max(t.in, manifestTotal(m.in)), out: Math.max(t.out, manifestTotal(m.out)), cached_in: Math.max(t.cached_in, manifestTotal(m.cached_in)), cached_out: Math.max(t.cached_out, manifestTotal(m.cached_out)) };
}

/** A manifest total that is a token count (not negative, not 5.4e+301 from before the check). */
const manifestTotal = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0);

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const ci = (i: Interval) => (Number.isFinite(i.low) ? ` [${pct(i.low)}, ${pct(i.high)}]` : '');

/** "judged 8/10; no code 1, error 1, unparsed 0": what a rate stands on, printed beside it. */
const coverage = (r: { coverage: { judged: number; total: number }; n_no_code: number; n_error: number; n_unparsed: number }) =>
	`coverage ${r.coverage.judged}/${r.coverage.total}; no code ${r.n_no_code}, error ${r.n_error}, unparsed ${r.n_unparsed}`;

function judgeLines(j: JudgeSummary, summary: RunSummary): string[] {
	const mode =
		j.judge === 'parser-strict'
			? ' (strict mode, the default)'
			: j.judge === 'parser-paper'
				? ` (paper mode, paper-compatible figure${summary.detectionModes ? `; ${summary.detectionModes.differ} of ${summary.detectionModes.total} answer(s) read differently from strict` : ''})`
				: '';
	const out = [`judge ${j.judge}${mode}: ${j.rows} verdict(s): ok ${j.ok}, unparsed ${j.unparsed}, error ${j.error} (unparsed and error excluded from scores)`];
	const sr = j.securityRate;
	if (sr) {
		out.push(`  security rate SR@1  ${srText(sr)}; ${coverage(sr)}${sr.n_items_without_ok ? `; ${sr.n_items_without_ok} item(s) with no verdict` : ''}`);
		for (const c of sr.per_cwe) out.push(`    ${c.cwe.padEnd(8)} ${pct(c.sr).padStart(6)}%  (${c.n_items} item(s); ${coverage(c)})`);
	}
	const d = j.detection;
	if (d) {
		out.push(
			`  detection  F1 ${pct(d.detection.f1)}  precision ${pct(d.detection.precision)}  recall ${pct(d.detection.recall)}  accuracy ${pct(d.detection.accuracy)}  (tp ${d.detection.tp}, fp ${d.detection.fp}, tn ${d.detection.tn}, fn ${d.detection.fn}; n ${d.n})`,
			`  classification  weighted F1 ${pct(d.classification.weighted_f1)}  accuracy ${pct(d.classification.accuracy)}`
		);
	}
	const a = j.agreement;
	if (a) {
		out.push(`  agreement with the items' labels: consistency ${pct(a.consistency)}%${ci(a.consistency_ci)}, Diff ${pct(a.diff)} points, kappa ${kappaText(a)} (n ${a.n})`);
	} else if (j.agreementOmitted) out.push(`  agreement with the items' labels: not reported (${j.agreementOmitted})`);
	return out;
}

type Scored = LabelledReport['judges'][number]['overall'];
/** A bootstrap interval withheld for too few programs says so instead of vanishing. */
const bootCi = (i: Interval) => (Number.isFinite(i.low) ? ci(i) : i.note && Number.isFinite(i.estimate) ? ' [too few programs for an interval]' : '');
const scoreText = (s: Scored) =>
	`consistency ${pct(s.consistency)}%${ci(s.consistency_ci)}  TPR ${pct(s.tpr)}%${ci(s.tpr_ci)}  TNR ${pct(s.tnr)}%${ci(s.tnr_ci)}  kappa ${kappaText(s, bootCi(s.kappa_ci))}  Diff ${pct(s.diff)}${bootCi(s.diff_ci)}  (n ${s.n}; error ${s.n_error}, unparsed ${s.n_unparsed})`;

function labelledLines(r: LabelledReport): string[] {
	const unsupported = Object.entries(r.unsupported).map(([lang, n]) => `${lang} ${n}`).join(', ');
	const out = [`labelled set ${r.set}: ${r.items} program(s)${unsupported ? `; unsupported language(s), never scored: ${unsupported}` : ''}`, `(${r.intervals})`];
	for (const j of r.judges) {
		out.push(`judge ${j.judge}: ${scoreText(j.overall)}${j.without_row ? `; ${j.without_row} program(s) with no verdict row` : ''}`);
		if (j.pairs) out.push(`  pair accuracy ${pct(j.pairs.accuracy)}%${ci(j.pairs.ci)} (${j.pairs.correct} of ${j.pairs.n} pair(s) right on both sides; ${j.pairs.n_incomplete} incomplete)`);
		out.push('  per CWE:', ...j.per_cwe.map((g) => `    ${g.group.padEnd(8)} ${scoreText(g.score)}`));
		out.push('  per language:', ...j.per_language.map((g) => `    ${g.group.padEnd(8)} ${scoreText(g.score)}`));
	}
	return out;
}

// `covw judge <run-id> --judge <judge> [--template …]` judges the answers of a generation run
// (never regenerating them); `covw judge --items <set> --judge …` judges benchmark items, e.g.
// the Pearce reference programs. The same command again resumes. `covw judge --list` shows the
// judges of the registry (src/lib/judges/registry.ts) and whether each can run here; `--judge`
// is looked up there too.
import { ITEM_SETS, type ItemSet } from '../../lib/core/items/item.ts';
import { isJudgeStyle, JUDGE_STYLES } from '../../lib/core/vocabulary.ts';
import { ConfigError, type EngineConfig, NO_ENDPOINT } from '../../lib/engine/config.ts';
import { publicUrl } from '../../lib/engine/redact.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { RunSetupError } from '../../lib/engine/run-units.ts';
import { BatchApiError } from '../../lib/engine/run-errors.ts';
import { drainedReplicaLines } from '../../lib/engine/replicas.ts';
import { analyzerLimits } from '../../lib/judges/analyzers/registry.ts';
import type { JudgeAvailability, JudgeDescriptor, JudgeFamily } from '../../lib/judges/judge.ts';
import { describeJudge, listJudges, usesEngine } from '../../lib/judges/registry.ts';
import { judgeAvailability } from '../../lib/runs/judge-availability.ts';
import { runJudge } from '../../lib/runs/judge-run.ts';
import { NoMatchingTargetsError, TargetError } from '../../lib/runs/judge-targets.ts';
import { loadLabelledSet } from '../../lib/runs/import/labelled-set.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { shellCommand } from '../shell-quote.ts';
import { progressReporter } from '../progress.ts';
import { BATCH_FLAGS, BATCH_USAGE, batchModeFromFlags, batchStopText, exportLines } from './batch-flags.ts';
import { priceNoteOf } from '../../lib/engine/batch/price-factor.ts';
import { cancelOnInterrupt, loadConfig, loadItems, loadTemplateSet, openCache, parseFlags, runFolders, stoppedLines } from './run-setup.ts';
import { printable, printableLines } from '../../lib/core/text/printable.ts';

const NAME = 'judge';

export const judgeCommand: Command = {
	words: ['judge'],
	summary: 'judge a generation run (or items) with a model, the rules, an analyzer, the parsers or an ensemble',
	usage: [
		'Usage: covw judge <run-id> --judge <judge> [--template zeroshot|fewshot|direct]',
		'       covw judge --items <set> --judge <…>          (e.g. --items pearce --judge rules)',
		'       covw judge --list                             the judges, and which can run here',
		'',
		'--judge <j>        an LLM ("endpoint/model"), "rules" (offline rule judge), "parser"',
		'                   (re-read a detection run\'s answers in paper and strict modes), a',
		'                   static analyzer: bandit (Python), cppcheck, flawfinder, gcc (-fanalyzer)',
		'                   or clang (--analyze) (C), reading the code as text in a temporary folder,',
		'                   never running it; "analyzers" runs every installed one, each as its own',
		'                   run; or an ensemble "ensemble:any|all|majority:<judge>+<judge>…" (e.g.',
		'                   ensemble:any:rules+cppcheck), which combines its members\' verdicts per',
		'                   target: a member run that is complete is read as it is, an incomplete one',
		'                   is run or resumed first (its error rows are retried by judging with that',
		'                   member alone). An ensemble gives a verdict only where every member that',
		'                   reads the target gave one; elsewhere an error row names the members',
		'                   without a verdict. A judge judges only the targets of its languages:',
		'                   the others get no verdict row (they are counted and reported, never',
		'                   scored). A missing tool stops before any work.',
		'                   A name with no "/" close to a judge\'s (one or two letters off, its',
		'                   beginning, or a judge\'s name with a suffix: rulez, cppchek, gcc-12) is',
		'                   refused as a typo ("did you mean …"), never sent to a model; name a',
		'                   model as endpoint/model to be sure.',
		'--template <t>     LLM judges: zeroshot (default), fewshot (examples from the Pearce',
		'                   programs of the item\'s scenario), direct',
		'--timeout <s>      analyzers: seconds one program may take (default 60); a slower one is an',
		'                   error row of its own, judged again on resume (give it more time then);',
		'                   the rule judge too (default 10): past it a program\'s row is the status',
		'                   "judge time limit", never a verdict',
		'--memory <MB>      analyzers: resident memory one tool process may hold with its children',
		'                   (default 1024); past it the tool is killed and its programs are error rows',
		'--templates <dir>  prompt templates; --config, --items-file, --run-id, --no-cache as for run',
		...BATCH_USAGE,
		'                   (LLM judges only)',
		'',
		'Exit status: 0 when every target has a verdict, 1 when some judgements failed or were',
		'unreadable (counted, never turned into verdicts), 2 on bad input or a missing analyzer.'
	].join('\n'),
	run: runJudgeCommand
};

async function runJudgeCommand(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, {
		judge: 'string', template: 'string', items: 'string', templates: 'string', config: 'string',
		'items-file': 'string', 'run-id': 'string', 'no-cache': 'bool', list: 'bool', timeout: 'string', memory: 'string', ...BATCH_FLAGS
	});
	if (flags.bools.has('list')) return listCommand(ctx, flags);
	const timeout = flags.strings.timeout;
	if (timeout !== undefined && !(Number(timeout) > 0)) throw new CliError(`${NAME}: --timeout takes a number of seconds above 0, got "${timeout}"`);
	const memory = flags.strings.memory;
	if (memory !== undefined && !(Number(memory) > 0 && Number.isFinite(Number(memory)))) throw new CliError(`${NAME}: --memory takes a number of MB above 0, got "${memory}"`);
	const analyzer = { ...(timeout !== undefined ? { timeoutMs: Math.round(Number(timeout) * 1000) } : {}), ...(memory !== undefined ? { memoryLimitMb: Number(memory) } : {}) };
	const spec = flags.strings.judge;
	if (!spec) throw new CliError(`${NAME}: --judge is required (covw judge --list shows the judges)`);
	const { judge, error } = describeJudge(spec);
	if (!judge || error) throw new CliError(`${NAME}: ${error ?? `no judge "${spec}"`}`);
	const itemSet = flags.strings.items as ItemSet | undefined;
	// A name other than a benchmark set: a labelled set imported with `covw import --labelled`.
	const labelled = itemSet !== undefined && !ITEM_SETS.includes(itemSet) ? await loadLabelledSet(runFolders(ctx).dataDir, itemSet) : null;
	if (itemSet !== undefined && !ITEM_SETS.includes(itemSet) && !labelled) throw new CliError(`${NAME}: unknown set "${itemSet}" (expected ${ITEM_SETS.join(', ')}, or a labelled set imported with covw import --labelled <name>)`);
	if (flags.positional.length > 1) throw new CliError(`${NAME}: expected one run id, got ${flags.positional.length}`);
	const sourceRunId = flags.positional[0];
	if ((sourceRunId === undefined) === (itemSet === undefined)) throw new CliError(`${NAME}: give a generation run id or --items <set> (one of them)\n\n${judgeCommand.usage}`);
	const template = flags.strings.template;
	const engine = usesEngine(spec);
	if (template !== undefined && !isJudgeStyle(template)) throw new CliError(`${NAME}: unknown template "${template}" (expected ${JUDGE_STYLES.join(', ')})`);
	if (template !== undefined && !engine) throw new CliError(`${NAME}: --template is for LLM judges; "${spec}" has none`);
	const batch = batchModeFromFlags(NAME, ctx, flags);
	if (batch && !engine) throw new CliError(`${NAME}: --batch and --batch-export are for LLM judges; "${spec}" sends no requests`);
	const group = judge.execution.via === 'members';
	if (flags.strings['run-id'] !== undefined && group) throw new CliError(`${NAME}: --run-id names one run; "${spec}" makes one run per judge`);

	// Which judges run: one, or each available member of a group. A missing tool fails here, before any work.
	const judges = await judgesToRun(ctx, spec, judge);

	// Items are needed for item targets, and for the few-shot examples.
	const items = labelled ? labelled.items : itemSet !== undefined || template === 'fewshot' ? (await loadItems(NAME, ctx, flags)).items : undefined;
	const config = engine ? loadConfig(NAME, ctx, flags) : undefined;
	const templates = engine ? await loadTemplateSet(NAME, ctx, flags) : undefined;
	const { runsDir } = runFolders(ctx);
	const cache = engine ? openCache(ctx, flags) : null;
	// A Batch API run has no request in flight to save: Ctrl-C says what it does to the batch.
	const interrupt = cancelOnInterrupt(ctx, undefined, batch?.via === 'openai' ? { stopText: batchStopText() } : {});
	let status = 0;
	let judged = 0;
	try {
		for (const one of judges) {
			if (interrupt.signal.aborted) break;
			const progress = progressReporter({ isTTY: ctx.isTTY, write: (t) => ctx.stderr(t) });
			try {
				const out = await runJudge({
					runsDir,
					judge: one,
					template: engine && isJudgeStyle(template) ? template : engine ? 'zeroshot' : undefined,
					sourceRunId,
					itemSet,
					items,
					templates: templates?.templates,
					config,
					runId: flags.strings['run-id'],
					cache,
					signal: interrupt.signal,
					onProgress: (p) => progress.update(p),
					onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`),
					batch,
					...(Object.keys(analyzer).length > 0 ? { analyzer } : {}),
					...(analyzer.timeoutMs !== undefined ? { timeLimitMs: analyzer.timeoutMs } : {})
				});
				progress.finish();
				judged++;
				const m = out.manifest;
				const lines = [
					`judge run ${out.runId}: ${out.exported && out.exported.lines > 0 ? 'exported; waiting for its output (covw batch import)' : m.state}`,
					`  ${out.targets} target(s)${sourceRunId ? ` from run ${sourceRunId}` : ` (items of set ${itemSet})`}; ${m.counts.total} verdict unit(s): ok ${m.counts.ok}, unparsed ${m.counts.unparsed}, error ${m.counts.error}, pending ${m.counts.pending}`
				];
				if (out.analyzer) {
					lines.push(`  ${out.analyzer.version.toLowerCase().startsWith(out.analyzer.tool) ? out.analyzer.version : `${out.analyzer.tool} ${out.analyzer.version}`} (${out.analyzer.path}); ${out.analyzer.analysed} program(s) analysed this session`);
				}
				const who = out.analyzer?.tool ?? one;
				const apart = [
					out.otherLanguage > 0 ? `${out.otherLanguage} in another language` : '',
					out.notApplicable > 0 ? `${out.notApplicable} of a CWE ${who} cannot report (not applicable)` : '',
					out.outside - out.otherLanguage - out.notApplicable > 0 ? `${out.outside - out.otherLanguage - out.notApplicable} outside what an ensemble member judges` : ''
				].filter(Boolean);
				if (apart.length > 0) lines.push(`  ${out.outside} target(s) not judged by ${who}, no verdict row: ${apart.join(', ')}`);
				if (out.members) lines.push(`  combined from ${out.members.map((r) => `${r.judge} (run ${r.runId})`).join(', ')}`);
				if (out.failedGenerations > 0) lines.push(`  ${out.failedGenerations} generation(s) failed and were not judged`);
				if (out.pendingGenerations > 0) lines.push(`  ${out.pendingGenerations} generation(s) not answered yet; judge again later to add them`);
				if (engine) lines.push(`  requests this session ${out.requests}; tokens ${m.tokens.in} in / ${m.tokens.out} out${m.cost_usd === null ? '' : `; cost $${m.cost_usd.toFixed(4)}${priceNoteOf(m.params) ? ` (${priceNoteOf(m.params)})` : ''}`}`);
				lines.push(...drainedReplicaLines(m.replicas_drained).map((l) => `  ${l}`));
				// Ctrl-C: how to resume, and what a second Ctrl-C left unpaid-for in these totals.
				// An export waits for its output: its next step is covw batch import (exportLines), not the same command.
				if (!(out.exported && out.exported.lines > 0)) lines.push(...stoppedLines(m.state, ['judge', ...ctx.args], interrupt.abandoned()));
				if (out.exported) lines.push(...exportLines(out.runId, null, out.exported));
				if (out.modes) lines.push(`  paper vs strict mode: ${out.modes.any} of ${out.modes.total} answer(s) read differently`);
				lines.push(`  ${shellCommand(['covw', 'runs', 'show', out.runId])}   for the scores`);
				ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
				if (!out.exported && !(m.state === 'completed' && m.counts.error === 0 && m.counts.unparsed === 0)) status = 1;
			} catch (e) {
				progress.finish();
				// A group over targets of one language: the other language's judges have nothing to do.
				if (e instanceof NoMatchingTargetsError && group) {
					ctx.stdout(`${one}: skipped (${printable(e.message)})\n`);
					continue;
				}
				throw e;
			}
		}
		if (group && judged === 0 && !interrupt.signal.aborted) throw new CliError(`${NAME}: none of the available judges of "${spec}" reads the language of these targets`);
		return status;
	} catch (e) {
		if (e instanceof BatchApiError) {
			// The Batch API did not answer: the batch record is kept, the same command resumes.
			ctx.stderr(`covw: ${NAME}: stopped: ${printable(e.message)}\n`);
			return 1;
		}
		if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError || e instanceof TargetError) {
			throw new CliError(`${NAME}: ${e.message}`);
		}
		throw e;
	} finally {
		interrupt.dispose();
		cache?.close();
	}
}

/** The judges to run for `spec`: itself, or a group's available members; a CliError when it cannot run here. */
async function judgesToRun(ctx: CliContext, spec: string, judge: JudgeDescriptor): Promise<string[]> {
	const via = judge.execution.via;
	if (via === 'tool') {
		const a = await judgeAvailability(spec);
		if (a.state === 'unable') throw new CliError(`${NAME}: ${a.reasons[0]}`);
		for (const r of a.state === 'partly' ? a.reasons : []) ctx.stderr(`note: ${printable(`${spec} is only partly able here: ${r}`)}\n`);
		return [spec];
	}
	if (via === 'ensemble') {
		// Its analyzer members must be installed; a partly able one is said before the run.
		for (const member of judge.members?.(spec) ?? []) {
			if (describeJudge(member).judge?.execution.via !== 'tool') continue;
			const a = await judgeAvailability(member);
			if (a.state === 'unable') throw new CliError(`${NAME}: ${spec}: ${a.reasons[0]}`);
			for (const r of a.state === 'partly' ? a.reasons : []) ctx.stderr(`note: ${printable(`${member} is only partly able here: ${r}`)}\n`);
		}
		return [spec];
	}
	if (via !== 'members') return [spec];
	const members = judge.members?.(spec) ?? [];
	const each = await Promise.all(members.map((m) => judgeAvailability(m)));
	const able = members.filter((_, i) => each[i].state !== 'unable');
	if (able.length === 0) throw new CliError(`${NAME}: no judge of "${spec}" can run here (no analyzer is installed):\n${each.map((a) => `  ${a.reasons[0]}`).join('\n')}`);
	members.forEach((m, i) => {
		if (each[i].state === 'unable') ctx.stderr(`note: ${printable(each[i].reasons[0])}; running the others\n`);
		else for (const r of each[i].state === 'partly' ? each[i].reasons : []) ctx.stderr(`note: ${printable(`${m} is only partly able here: ${r}`)}\n`);
	});
	return able;
}

const SECTIONS: { family: JudgeFamily; title: string }[] = [
	{ family: 'offline', title: 'Offline judges:' },
	{ family: 'analyzer', title: 'Static analyzers (each judges the programs of its language):' },
	{ family: 'ensemble', title: 'Ensembles (a complete member run is read; a missing or incomplete one runs first as its own judge run):' },
	{ family: 'llm', title: 'LLM judges (--judge endpoint/model, --template zeroshot|fewshot|direct):' }
];

/** `covw judge --list`: every judge of the registry, and whether it can run here. */
async function listCommand(ctx: CliContext, flags: ReturnType<typeof parseFlags>): Promise<number> {
	let status = 0;
	let config: EngineConfig | undefined;
	let configError: string | null = null;
	try {
		config = loadConfig(NAME, ctx, flags);
	} catch (e) {
		configError = (e as Error).message;
		status = 1;
	}
	const lines = await judgeListLines(config ?? null, configError);
	ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
	return status;
}

/** Why an endpoint cannot be called (its key's error), or null. */
function endpointProblem(endpoint: { requireApiKey(): void }): string | null {
	try {
		endpoint.requireApiKey();
		return null;
	} catch (e) {
		if (e instanceof ConfigError) return e.message;
		throw e;
	}
}

const row = (name: string, text: string) => `  ${name.padEnd(12)} ${text}`;
const more = (text: string) => `  ${''.padEnd(12)} ${text}`;
const LANGUAGE_COLUMN = { c: 'C     ', python: 'Python' } as const;

/** The lines of `covw judge --list`, section by section, from the registry. */
export async function judgeListLines(config: EngineConfig | null, configError: string | null = null): Promise<string[]> {
	const judges = listJudges();
	const availability = new Map<string, JudgeAvailability>();
	const availableOf = async (spec: string) => {
		if (!availability.has(spec)) availability.set(spec, await judgeAvailability(spec, { config }));
		return availability.get(spec)!;
	};
	const lines: string[] = [];
	for (const { family, title } of SECTIONS) {
		const mine = judges.filter((j) => j.family === family);
		if (mine.length === 0) continue;
		if (lines.length > 0) lines.push('');
		lines.push(title);
		for (const judge of mine) lines.push(...(await judgeLines(judge, availableOf, config, configError)));
	}
	return lines;
}

async function judgeLines(
	judge: JudgeDescriptor,
	availableOf: (spec: string) => Promise<JudgeAvailability>,
	config: EngineConfig | null,
	configError: string | null
): Promise<string[]> {
	const execution = judge.execution;
	switch (execution.via) {
		case 'tool': {
			const a = await availableOf(judge.name);
			const language = LANGUAGE_COLUMN[execution.tool.language];
			const limits = analyzerLimits(execution.tool.name).map((l) => more(`limit: ${l}`));
			if (a.state === 'unable') return [row(judge.name, `${language} ${a.reasons[0]}`), ...limits];
			return [row(judge.name, `${language} ${a.detail}`), ...a.reasons.map((r) => more(`partly able: ${r}`)), ...limits];
		}
		case 'members': {
			const members = judge.members?.(judge.name) ?? [];
			const able = (await Promise.all(members.map(availableOf))).filter((a) => a.state !== 'unable').length;
			return [row(judge.name, `${judge.summary} (${able} installed)`)];
		}
		case 'engine': {
			if (!config) return [`  no endpoints: ${configError ?? 'no engine config'}`];
			const out = [`  from ${config.source}`];
			for (const endpoint of config.endpoints.values()) {
				// An endpoint that cannot be called (nothing configured, its key's variable unset) says so, not its default URL.
				const unusable = endpointProblem(endpoint);
				if (unusable === NO_ENDPOINT) return [`  not configured: ${NO_ENDPOINT.replace(/; nothing was sent$/, '')} (until then an LLM judge sends nothing)`];
				if (unusable) {
					out.push(`  ${endpoint.name}: not usable: ${unusable}`);
					continue;
				}
				const models = endpoint.models === null ? ['<any model>'] : Object.keys(endpoint.models);
				out.push(`  ${endpoint.name} (${publicUrl(endpoint.baseURL)}): ${models.map((m) => `${endpoint.name}/${m}`).join(', ')}`);
			}
			return out;
		}
		case 'ensemble':
			return [row(judge.name, judge.summary), more(`--judge ${judge.usage}   (e.g. ensemble:any:rules+cppcheck)`)];
		case 'direct':
			return [row(judge.name, judge.summary)];
	}
}

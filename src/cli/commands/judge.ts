// `covw judge <run-id> --judge <endpoint/model|rules|parser|bandit|cppcheck|flawfinder|analyzers>
// [--template …]` judges the answers of a generation run (never regenerating them);
// `covw judge --items <set> --judge …` judges benchmark items, e.g. the Pearce reference
// programs. The same command again resumes. `covw judge --list` shows which judges there are.
import { ITEM_SETS, type ItemSet } from '../../lib/core/items/item.ts';
import type { JudgeStyle } from '../../lib/core/prompts/build.ts';
import { ConfigError, type EngineConfig } from '../../lib/engine/config.ts';
import { publicUrl } from '../../lib/engine/redact.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { RunSetupError } from '../../lib/engine/run-units.ts';
import { PARSER_JUDGE, runJudge } from '../../lib/runs/judge-run.ts';
import { TargetError } from '../../lib/runs/judge-targets.ts';
import { JUDGE_STYLES } from '../../lib/runs/judge-units.ts';
import { RULES_JUDGE } from '../../lib/runs/rule-units.ts';
import { ALL_ANALYZERS_JUDGE, analyzersForJudge, isAnalyzerJudge, NoAnalyzerTargetsError } from '../../lib/runs/analyzer-units.ts';
import { listAnalyzers } from '../../lib/judges/analyzers/registry.ts';
import type { AnalyzerAvailability, AnalyzerName } from '../../lib/judges/analyzers/types.ts';
import { loadLabelledSet } from '../../lib/runs/import/labelled-set.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { progressReporter } from '../progress.ts';
import { cancelOnInterrupt, loadConfig, loadItems, loadTemplateSet, openCache, parseFlags, runFolders } from './run-setup.ts';

const NAME = 'judge';

export const judgeCommand: Command = {
	words: ['judge'],
	summary: 'judge a generation run (or items) with a model, the rules, an analyzer or the parsers',
	usage: [
		'Usage: covw judge <run-id> --judge <endpoint/model|rules|parser|bandit|cppcheck|flawfinder|analyzers>',
		'                  [--template zeroshot|fewshot|direct]',
		'       covw judge --items <set> --judge <…>          (e.g. --items pearce --judge rules)',
		'       covw judge --list                             which judges are available here',
		'',
		'--judge <j>        an LLM ("endpoint/model"), "rules" (offline rule judge), "parser"',
		'                   (re-read a detection run\'s answers in paper and strict modes), or a',
		'                   static analyzer: bandit (Python), cppcheck or flawfinder (C), reading',
		'                   the code as text in a temporary folder, never running it; "analyzers"',
		'                   runs every installed one, each as its own run. An analyzer judges only',
		'                   the targets in its language: the others get no verdict row (they are',
		'                   counted and reported, never scored). A missing tool stops before any work.',
		'--template <t>     LLM judges: zeroshot (default), fewshot (examples from the Pearce',
		'                   programs of the item\'s scenario), direct',
		'--templates <dir>  prompt templates; --config, --items-file, --run-id, --no-cache as for run',
		'',
		'Exit status: 0 when every target has a verdict, 1 when some judgements failed or were',
		'unreadable (counted, never turned into verdicts), 2 on bad input or a missing analyzer.'
	].join('\n'),
	run: runJudgeCommand
};

async function runJudgeCommand(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, {
		judge: 'string', template: 'string', items: 'string', templates: 'string', config: 'string',
		'items-file': 'string', 'run-id': 'string', 'no-cache': 'bool', list: 'bool'
	});
	if (flags.bools.has('list')) return listJudges(ctx, flags);
	const judge = flags.strings.judge;
	if (!judge) throw new CliError(`${NAME}: --judge is required (covw judge --list shows the judges)`);
	const itemSet = flags.strings.items as ItemSet | undefined;
	// A name other than a benchmark set: a labelled set imported with `covw import --labelled`.
	const labelled = itemSet !== undefined && !ITEM_SETS.includes(itemSet) ? await loadLabelledSet(runFolders(ctx).dataDir, itemSet) : null;
	if (itemSet !== undefined && !ITEM_SETS.includes(itemSet) && !labelled) throw new CliError(`${NAME}: unknown set "${itemSet}" (expected ${ITEM_SETS.join(', ')}, or a labelled set imported with covw import --labelled <name>)`);
	if (flags.positional.length > 1) throw new CliError(`${NAME}: expected one run id, got ${flags.positional.length}`);
	const sourceRunId = flags.positional[0];
	if ((sourceRunId === undefined) === (itemSet === undefined)) throw new CliError(`${NAME}: give a generation run id or --items <set> (one of them)\n\n${judgeCommand.usage}`);
	const template = flags.strings.template as JudgeStyle | undefined;
	const isAnalyzer = isAnalyzerJudge(judge) || judge === ALL_ANALYZERS_JUDGE;
	const isLlm = judge !== RULES_JUDGE && judge !== PARSER_JUDGE && !isAnalyzer;
	if (template !== undefined && !JUDGE_STYLES.includes(template)) throw new CliError(`${NAME}: unknown template "${template}" (expected ${JUDGE_STYLES.join(', ')})`);
	if (template !== undefined && !isLlm) throw new CliError(`${NAME}: --template is for LLM judges; "${judge}" has none`);
	if (flags.strings['run-id'] !== undefined && judge === ALL_ANALYZERS_JUDGE) throw new CliError(`${NAME}: --run-id names one run; "analyzers" makes one run per tool`);

	// Which judges run: one, or one per installed analyzer. A missing tool fails here, before any work.
	const judges = isAnalyzer ? await analyzerJudges(ctx, judge) : [judge];

	// Items are needed for item targets, and for the few-shot examples.
	const items = labelled ? labelled.items : itemSet !== undefined || template === 'fewshot' ? (await loadItems(NAME, ctx, flags)).items : undefined;
	const config = isLlm ? loadConfig(NAME, ctx, flags) : undefined;
	const templates = isLlm ? await loadTemplateSet(NAME, ctx, flags) : undefined;
	const { runsDir } = runFolders(ctx);
	const cache = isLlm ? openCache(ctx, flags) : null;
	const interrupt = cancelOnInterrupt(ctx);
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
					template: isLlm ? (template ?? 'zeroshot') : undefined,
					sourceRunId,
					itemSet,
					items,
					templates: templates?.templates,
					config,
					runId: flags.strings['run-id'],
					cache,
					signal: interrupt.signal,
					onProgress: (p) => progress.update(p),
					onWarning: (m) => ctx.stderr(`warning: ${m}\n`)
				});
				progress.finish();
				judged++;
				const m = out.manifest;
				const lines = [
					`judge run ${out.runId}: ${m.state}`,
					`  ${out.targets} target(s)${sourceRunId ? ` from run ${sourceRunId}` : ` (items of set ${itemSet})`}; ${m.counts.total} verdict unit(s): ok ${m.counts.ok}, unparsed ${m.counts.unparsed}, error ${m.counts.error}, pending ${m.counts.pending}`
				];
				if (out.analyzer) {
					lines.push(`  ${toolLabel(out.analyzer.tool, out.analyzer.version)} (${out.analyzer.path}); ${out.analyzer.analysed} program(s) analysed this session`);
					if (out.analyzer.otherLanguage > 0) lines.push(`  ${out.analyzer.otherLanguage} target(s) in another language: not judged by ${out.analyzer.tool}, no verdict row`);
				}
				if (out.failedGenerations > 0) lines.push(`  ${out.failedGenerations} generation(s) failed and were not judged`);
				if (out.pendingGenerations > 0) lines.push(`  ${out.pendingGenerations} generation(s) not answered yet; judge again later to add them`);
				if (isLlm) lines.push(`  requests this session ${out.requests}; tokens ${m.tokens.in} in / ${m.tokens.out} out${m.cost_usd === null ? '' : `; cost $${m.cost_usd.toFixed(4)}`}`);
				if (out.modes) lines.push(`  paper vs strict mode: ${out.modes.any} of ${out.modes.total} answer(s) read differently`);
				lines.push(`  covw runs show ${out.runId}   for the scores`);
				ctx.stdout(`${lines.join('\n')}\n`);
				if (!(m.state === 'completed' && m.counts.error === 0 && m.counts.unparsed === 0)) status = 1;
			} catch (e) {
				progress.finish();
				// "analyzers" over targets of one language: the other language's tools have nothing to do.
				if (e instanceof NoAnalyzerTargetsError && judge === ALL_ANALYZERS_JUDGE) {
					ctx.stdout(`${one}: skipped (${e.message})\n`);
					continue;
				}
				throw e;
			}
		}
		if (judge === ALL_ANALYZERS_JUDGE && judged === 0 && !interrupt.signal.aborted) throw new CliError(`${NAME}: none of the installed analyzers reads the language of these targets`);
		return status;
	} catch (e) {
		if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError || e instanceof TargetError) {
			throw new CliError(`${NAME}: ${e.message}`);
		}
		throw e;
	} finally {
		interrupt.dispose();
		cache?.close();
	}
}

/** The analyzer judges to run; a CliError naming the install command when a requested tool is missing. */
async function analyzerJudges(ctx: CliContext, judge: string): Promise<AnalyzerName[]> {
	const { installed, missing } = await analyzersForJudge(judge);
	if (judge !== ALL_ANALYZERS_JUDGE) {
		if (missing.length > 0) throw new CliError(`${NAME}: ${missing[0].message}`);
	} else {
		if (installed.length === 0) throw new CliError(`${NAME}: no analyzer is installed:\n${missing.map((a) => `  ${a.message}`).join('\n')}`);
		for (const a of missing) ctx.stderr(`note: ${a.message}; running the others\n`);
	}
	return installed.map((a) => a.tool);
}

/** `covw judge --list`: every judge, and whether it can run here. */
async function listJudges(ctx: CliContext, flags: ReturnType<typeof parseFlags>): Promise<number> {
	const analyzers = await listAnalyzers();
	const row = (name: string, text: string) => `  ${name.padEnd(12)} ${text}`;
	const lines = [
		'Offline judges:',
		row(RULES_JUDGE, 'rule judge, all 18 CWEs, C and Python'),
		row(PARSER_JUDGE, 'reads detection answers (paper and strict modes)'),
		'',
		'Static analyzers (each judges the programs of its language):',
		...analyzers.map((a) => row(a.tool, analyzerLine(a))),
		row(ALL_ANALYZERS_JUDGE, `every installed analyzer above, one run each (${analyzers.filter((a) => a.available).length} installed)`),
		'',
		'LLM judges (--judge endpoint/model, --template zeroshot|fewshot|direct):'
	];
	let status = 0;
	let config: EngineConfig | undefined;
	try {
		config = loadConfig(NAME, ctx, flags);
	} catch (e) {
		lines.push(`  no endpoints: ${(e as Error).message}`);
		status = 1;
	}
	if (config) {
		lines.push(`  from ${config.source}`);
		for (const endpoint of config.endpoints.values()) {
			const models = endpoint.models === null ? ['<any model>'] : Object.keys(endpoint.models);
			lines.push(`  ${endpoint.name} (${publicUrl(endpoint.baseURL)}): ${models.map((m) => `${endpoint.name}/${m}`).join(', ')}`);
		}
	}
	ctx.stdout(`${lines.join('\n')}\n`);
	return status;
}

function analyzerLine(a: AnalyzerAvailability): string {
	const language = a.language === 'c' ? 'C     ' : 'Python';
	return a.available ? `${language} ${toolLabel(a.tool, a.version ?? "")} (${a.path})` : `${language} ${a.message}`;
}

/** 'bandit 1.6.2' as printed, or the name before a bare version ('flawfinder 2.0.19'). */
function toolLabel(tool: string, version: string): string {
	return version.toLowerCase().startsWith(tool) ? version : `${tool} ${version}`;
}

// `covw judge <run-id> --judge <endpoint/model|rules|parser> [--template …]` judges the answers
// of a generation run (never regenerating them); `covw judge --items <set> --judge …` judges
// benchmark items, e.g. the Pearce reference programs. The same command again resumes.
import { ITEM_SETS, type ItemSet } from '../../lib/core/items/item.ts';
import type { JudgeStyle } from '../../lib/core/prompts/build.ts';
import { ConfigError } from '../../lib/engine/config.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { RunSetupError } from '../../lib/engine/run-units.ts';
import { PARSER_JUDGE, runJudge } from '../../lib/runs/judge-run.ts';
import { TargetError } from '../../lib/runs/judge-targets.ts';
import { JUDGE_STYLES } from '../../lib/runs/judge-units.ts';
import { RULES_JUDGE } from '../../lib/runs/rule-units.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { progressReporter } from '../progress.ts';
import { cancelOnInterrupt, loadConfig, loadItems, loadTemplateSet, openCache, parseFlags, runFolders } from './run-setup.ts';

const NAME = 'judge';

export const judgeCommand: Command = {
	words: ['judge'],
	summary: 'judge a generation run (or items) with a model, the rules or the parsers',
	usage: [
		'Usage: covw judge <run-id> --judge <endpoint/model|rules|parser> [--template zeroshot|fewshot|direct]',
		'       covw judge --items <set> --judge <…>          (e.g. --items pearce --judge rules)',
		'',
		'--judge <j>        an LLM ("endpoint/model"), "rules" (offline rule judge), or "parser"',
		'                   (re-read a detection run\'s answers in paper and strict modes)',
		'--template <t>     LLM judges: zeroshot (default), fewshot (examples from the Pearce',
		'                   programs of the item\'s scenario), direct',
		'--templates <dir>  prompt templates; --config, --items-file, --run-id, --no-cache as for run',
		'',
		'Exit status: 0 when every target has a verdict, 1 when some judgements failed or were',
		'unreadable (counted, never turned into verdicts), 2 on bad input.'
	].join('\n'),
	run: runJudgeCommand
};

async function runJudgeCommand(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, {
		judge: 'string', template: 'string', items: 'string', templates: 'string', config: 'string',
		'items-file': 'string', 'run-id': 'string', 'no-cache': 'bool'
	});
	const judge = flags.strings.judge;
	if (!judge) throw new CliError(`${NAME}: --judge is required`);
	const itemSet = flags.strings.items as ItemSet | undefined;
	if (itemSet !== undefined && !ITEM_SETS.includes(itemSet)) throw new CliError(`${NAME}: unknown set "${itemSet}" (expected ${ITEM_SETS.join(', ')})`);
	if (flags.positional.length > 1) throw new CliError(`${NAME}: expected one run id, got ${flags.positional.length}`);
	const sourceRunId = flags.positional[0];
	if ((sourceRunId === undefined) === (itemSet === undefined)) throw new CliError(`${NAME}: give a generation run id or --items <set> (one of them)\n\n${judgeCommand.usage}`);
	const template = flags.strings.template as JudgeStyle | undefined;
	const isLlm = judge !== RULES_JUDGE && judge !== PARSER_JUDGE;
	if (template !== undefined && !JUDGE_STYLES.includes(template)) throw new CliError(`${NAME}: unknown template "${template}" (expected ${JUDGE_STYLES.join(', ')})`);
	if (template !== undefined && !isLlm) throw new CliError(`${NAME}: --template is for LLM judges; "${judge}" has none`);

	// Items are needed for item targets, and for the few-shot examples.
	const items = itemSet !== undefined || template === 'fewshot' ? (await loadItems(NAME, ctx, flags)).items : undefined;
	const config = isLlm ? loadConfig(NAME, ctx, flags) : undefined;
	const templates = isLlm ? await loadTemplateSet(NAME, ctx, flags) : undefined;
	const { runsDir } = runFolders(ctx);
	const cache = isLlm ? openCache(ctx, flags) : null;
	const progress = progressReporter({ isTTY: ctx.isTTY, write: (t) => ctx.stderr(t) });
	const interrupt = cancelOnInterrupt(ctx);
	try {
		const out = await runJudge({
			runsDir,
			judge,
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
		const m = out.manifest;
		const lines = [
			`judge run ${out.runId}: ${m.state}`,
			`  ${out.targets} target(s)${sourceRunId ? ` from run ${sourceRunId}` : ` (items of set ${itemSet})`}; ${m.counts.total} verdict unit(s): ok ${m.counts.ok}, unparsed ${m.counts.unparsed}, error ${m.counts.error}, pending ${m.counts.pending}`
		];
		if (out.failedGenerations > 0) lines.push(`  ${out.failedGenerations} generation(s) failed and were not judged`);
		if (out.pendingGenerations > 0) lines.push(`  ${out.pendingGenerations} generation(s) not answered yet; judge again later to add them`);
		if (isLlm) lines.push(`  requests this session ${out.requests}; tokens ${m.tokens.in} in / ${m.tokens.out} out${m.cost_usd === null ? '' : `; cost $${m.cost_usd.toFixed(4)}`}`);
		if (out.modes) lines.push(`  paper vs strict mode: ${out.modes.any} of ${out.modes.total} answer(s) read differently`);
		lines.push(`  covw runs show ${out.runId}   for the scores`);
		ctx.stdout(`${lines.join('\n')}\n`);
		return m.state === 'completed' && m.counts.error === 0 && m.counts.unparsed === 0 ? 0 : 1;
	} catch (e) {
		progress.finish();
		if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError || e instanceof TargetError) {
			throw new CliError(`${NAME}: ${e.message}`);
		}
		throw e;
	} finally {
		interrupt.dispose();
		cache?.close();
	}
}

// `covw self-correct <completion-run> --judge-run <judge-run>`: Table 3 of the paper on a
// model's own completions. Self-detection: the same model judges its own programs (zero-shot),
// scored against the judge run's verdicts (recall, accuracy). Self-repair: the same model
// repairs ONLY the programs the judge run found vulnerable; the repairs are then judged by
// --judge (default: the judge run's own judge), giving self-repair SR@1 with its coverage.
// The same command again resumes every step and sends nothing already answered.
import { ConfigError } from '../../lib/engine/config.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { RunSetupError } from '../../lib/engine/run-units.ts';
import type { JudgeStyle } from '../../lib/core/prompts/build.ts';
import { runJudge } from '../../lib/runs/judge-run.ts';
import { TargetError } from '../../lib/runs/judge-targets.ts';
import { readRun } from '../../lib/runs/run-list.ts';
import { summarizeRun } from '../../lib/runs/run-summary.ts';
import { wilsonInterval } from '../../lib/core/stats/wilson.ts';
import { runSelfDetection, runSelfRepair, selfDetectionScore, selfRepairInterval, wilsonText } from '../../lib/runs/self-correction.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { progressReporter } from '../progress.ts';
import { cancelOnInterrupt, loadConfig, loadTemplateSet, openCache, parseFlags, runFolders, stoppedLines } from './run-setup.ts';
import { printable, printableLines } from '../../lib/core/text/printable.ts';

const NAME = 'self-correct';

export const selfCorrectCommand: Command = {
	words: ['self-correct'],
	summary: "Table 3: self-detection and self-repair on a model's own completions",
	usage: [
		'Usage: covw self-correct <completion-run-id> --judge-run <judge-run-id> [--judge <j>] [--template t]',
		'',
		'--judge-run <id>  a judge run over the completion run: its verdicts are the reference for',
		'                  self-detection, and its "vulnerable" programs are the ones sent for repair.',
		'--judge <j>       who judges the repairs (default: the judge of --judge-run): rules, or an',
		'                  LLM "endpoint/model" with --template zeroshot|fewshot|direct.',
		'--config, --templates, --no-cache as for covw run.'
	].join('\n'),
	run: runSelfCorrect
};

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

async function runSelfCorrect(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, { 'judge-run': 'string', judge: 'string', template: 'string', config: 'string', templates: 'string', 'no-cache': 'bool' });
	if (flags.positional.length !== 1) throw new CliError(`${NAME}: expected one completion run id\n\n${selfCorrectCommand.usage}`);
	const judgeRunId = flags.strings['judge-run'];
	if (!judgeRunId) throw new CliError(`${NAME}: --judge-run is required\n\n${selfCorrectCommand.usage}`);
	const sourceRunId = flags.positional[0];
	const { runsDir } = runFolders(ctx);
	const config = loadConfig(NAME, ctx, flags);
	const templates = (await loadTemplateSet(NAME, ctx, flags)).templates;
	const cache = openCache(ctx, flags);
	const interrupt = cancelOnInterrupt(ctx);
	const warn = (m: string) => ctx.stderr(`warning: ${printable(m)}\n`);
	try {
		const reference = readRun(runsDir, judgeRunId);
		const repairJudge = flags.strings.judge ?? String(reference?.manifest.params.judge ?? '');
		const template = (flags.strings.template ?? (flags.strings.judge === undefined ? reference?.manifest.params.template : undefined) ?? undefined) as JudgeStyle | undefined;
		const options = { runsDir, config, templates, sourceRunId, judgeRunId, cache, signal: interrupt.signal, onWarning: warn };
		const progress = progressReporter({ isTTY: ctx.isTTY, write: (t) => ctx.stderr(t) });
		const self = await runSelfDetection({ ...options, onProgress: (p) => progress.update(p) });
		progress.finish();
		const score = selfDetectionScore(readRun(runsDir, self.runId)!, readRun(runsDir, judgeRunId)!);
		const lines = [
			`self-detection run ${self.runId}: ${self.manifest.state}`,
			`  recall ${pct(score.tpr)}% (${score.tp} of ${score.tp + score.fn} program(s) the judge found vulnerable; ${wilsonText(wilsonInterval(score.tp, score.tp + score.fn))}),` +
				` accuracy ${pct(score.consistency)}% (${wilsonText(wilsonInterval(score.tp + score.tn, score.n))}; error ${score.n_error}, unparsed ${score.n_unparsed})`
		];
		const repair = await runSelfRepair(options);
		if (!repair.generation) {
			lines.push('self-repair: the judge found none of the programs vulnerable; nothing to repair');
		} else {
			const gen = repair.generation;
			lines.push(`self-repair run ${gen.runId}: ${gen.result.state}; ${repair.sent} program(s) sent (only those the judge found vulnerable)`);
			if (gen.result.state === 'completed' && repairJudge) {
				const judged = await runJudge({
					runsDir,
					judge: repairJudge,
					template: repairJudge === 'rules' ? undefined : (template ?? 'zeroshot'),
					sourceRunId: gen.runId,
					config,
					templates,
					cache,
					signal: interrupt.signal,
					onWarning: warn
				});
				const sr = summarizeRun(readRun(runsDir, judged.runId)!, readRun(runsDir, gen.runId)).judges[0]?.securityRate;
				lines.push(
					`judge run ${judged.runId} (${repairJudge}) on the repairs`,
					sr
						? `  self-repair SR@1 ${pct(sr.sr)}% (${wilsonText(selfRepairInterval(sr))} judged repair(s)); coverage ${sr.coverage.judged}/${sr.coverage.total}; no code ${sr.n_no_code}, error ${sr.n_error}, unparsed ${sr.n_unparsed}`
						: '  no verdicts'
				);
			}
		}
		// Ctrl-C: how to resume, and what a second Ctrl-C left out of the totals.
		const cancelled = self.manifest.state === 'cancelled' || repair.generation?.result.state === 'cancelled';
		lines.push(...stoppedLines(cancelled ? 'cancelled' : 'completed', ['self-correct', ...ctx.args], interrupt.abandoned()));
		ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
		return 0;
	} catch (e) {
		if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError || e instanceof TargetError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	} finally {
		interrupt.dispose();
		cache?.close();
	}
}

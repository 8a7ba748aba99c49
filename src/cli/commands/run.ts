// `covw run <task> --model <endpoint/model> […]`: a generation run. Running the same command
// again resumes it (the run id derives from the parameters); --run-id names it yourself.
import { ITEM_SETS, type ItemSet } from '../../lib/core/items/item.ts';
import type { Language } from '../../lib/core/cwe.ts';
import { ConfigError } from '../../lib/engine/config.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { BatchApiError, RunSetupError, RunStorageError } from '../../lib/engine/run-errors.ts';
import { GENERATION_TASKS, type GenerationTask } from '../../lib/runs/generation-units.ts';
import { parseCweList, SelectionError } from '../../lib/runs/select-items.ts';
import { markPhase } from '../../lib/engine/phase-marks.ts';
import { drainedReplicaLines } from '../../lib/engine/replicas.ts';
import { usageImplausibleRows } from '../../lib/engine/types.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { shellCommand } from '../shell-quote.ts';
import { lazyModule } from '../lazy-module.ts';
import { progressReporter } from '../progress.ts';
import { BATCH_FLAGS, BATCH_USAGE, batchModeFromFlags, batchStopText, exportLines } from './batch-flags.ts';
import { priceNoteOf } from '../../lib/engine/batch/price-factor.ts';
import { cancelOnInterrupt, intFlag, loadConfig, loadItems, loadTemplateSet, openCache, parseFlags, runFolders, stoppedLines } from './run-setup.ts';
import { printable, printableLines } from '../../lib/core/text/printable.ts';

const NAME = 'run';

export const runCommand: Command = {
	words: ['run'],
	summary: 'run a model on a task (completion | repair | detection); resume = same command',
	usage: [
		'Usage: covw run <completion|repair|detection> --model <endpoint/model> [options]',
		'',
		'--model <m>        "endpoint/model" from covw.config.json, or a model name (with no config',
		'                   file: the OPENAI_BASE_URL endpoint, called "default")',
		'--set <s,…>        item sets: seed, vul-evol (completion); repair; detection',
		'--cwe <c,…>        only these CWEs (CWE-79 or 79)',
		'--lang <c|python>  only this language',
		'--limit <n>        at most n items: the first n, or with --seed a seeded random sample',
		'--seed <n>         seed of the sample',
		'--samples <n>      answers per item (default: the config\'s, 1)',
		'--templates <dir>  prompt templates (e.g. the official ones); missing files come from ours',
		'--config <file>    engine config (default ./covw.config.json if present)',
		'--items-file <f>   items table (default datasets/coveval/items.arrow)',
		'--evolved <name>   the items of an evolved set (covw evolve --name <name>)',
		'--run-id <id>      name the run (default: derived from the parameters)',
		'--no-cache         neither read nor write the response cache',
		...BATCH_USAGE,
		'',
		'Detection runs are scored at the end by the answer parsers (paper and strict modes).',
		'Exit status: 0 when every unit has an answer, 1 when some failed, the run was cancelled or',
		'stopped on a local failure (a full disk, a folder it may not write) or a Batch API that does',
		'not answer, 2 on bad input (an endpoint that does not answer the model check included).'
	].join('\n'),
	run: runRun
};

async function runRun(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, {
		model: 'string', set: 'list', cwe: 'list', lang: 'list', limit: 'string', seed: 'string', samples: 'string',
		templates: 'string', config: 'string', 'items-file': 'string', evolved: 'string', 'run-id': 'string', 'no-cache': 'bool', ...BATCH_FLAGS
	});
	const batch = batchModeFromFlags(NAME, ctx, flags);
	if (flags.positional.length !== 1) throw new CliError(`${NAME}: expected one task, got ${flags.positional.length}\n\n${runCommand.usage}`);
	const task = flags.positional[0] as GenerationTask;
	if (!GENERATION_TASKS.includes(task)) throw new CliError(`${NAME}: unknown task "${task}" (expected ${GENERATION_TASKS.join(', ')})`);
	const model = flags.strings.model;
	if (!model) throw new CliError(`${NAME}: --model is required`);
	for (const s of flags.lists.set ?? []) if (!ITEM_SETS.includes(s as ItemSet)) throw new CliError(`${NAME}: unknown set "${s}" (expected ${ITEM_SETS.join(', ')})`);
	for (const l of flags.lists.lang ?? []) if (l !== 'c' && l !== 'python') throw new CliError(`${NAME}: unknown language "${l}" (expected c or python)`);
	const limit = intFlag(NAME, flags, 'limit', 1);
	const seed = intFlag(NAME, flags, 'seed', 0);
	if (seed !== undefined && limit === undefined) throw new CliError(`${NAME}: --seed picks a sample of --limit items; give --limit too`);
	let cwe;
	try {
		cwe = flags.lists.cwe ? parseCweList(flags.lists.cwe) : undefined;
	} catch (e) {
		throw new CliError(`${NAME}: ${(e as Error).message}`);
	}
	const selection = {
		...(flags.lists.set ? { set: flags.lists.set as ItemSet[] } : {}),
		...(cwe ? { cwe } : {}),
		...(flags.lists.lang ? { language: flags.lists.lang as Language[] } : {}),
		...(limit !== undefined ? { limit } : {}),
		...(seed !== undefined ? { seed } : {})
	};

	// The engine (the openai client and the scheduler) loads while the items are read; the
	// judges (detection runs' parsers) once the first requests are out. Both through lazyModule,
	// so Deno reads neither before the command starts (../lazy-module.ts).
	const engine = lazyModule<typeof import('../../lib/runs/generation-run-core.ts')>(import.meta.url, '../../lib/runs/generation-run-core.ts');
	const loadJudgeRun = () => lazyModule<typeof import('../../lib/runs/judge-run.ts')>(import.meta.url, '../../lib/runs/judge-run.ts');
	engine.catch(() => {}); // awaited below; a bad flag may end the command first
	const config = loadConfig(NAME, ctx, flags);
	// Only the task's items: the selection picks from them alone (selectItems filters by task).
	const { items } = await loadItems(NAME, ctx, flags, { task });
	markPhase('items');
	const templates = await loadTemplateSet(NAME, ctx, flags);
	const { runsDir } = runFolders(ctx);
	const cache = openCache(ctx, flags);
	const progress = progressReporter({ isTTY: ctx.isTTY, write: (t) => ctx.stderr(t) });
	const { runGenerationWith } = await engine;
	markPhase('engine');
	// A Batch API run has no request in flight to save: Ctrl-C says what it does to the batch.
	const interrupt = cancelOnInterrupt(ctx, undefined, batch?.via === 'openai' ? { stopText: batchStopText() } : {});
	try {
		const out = await runGenerationWith({
			runsDir,
			config,
			items,
			task,
			model,
			selection,
			samples: intFlag(NAME, flags, 'samples', 1),
			templates: templates.templates,
			runId: flags.strings['run-id'],
			cache,
			signal: interrupt.signal,
			onProgress: (p) => progress.update(p),
			onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`),
			batch,
			compact: false // the workbench compacts the run when it first reads it: no wait here
		}, loadJudgeRun);
		progress.finish();
		const m = out.result.manifest;
		// Rows whose endpoint reported more tokens than their text could take (covw runs show says more).
		const implausible = usageImplausibleRows(out.result.rows.values());
		const lines = [
			`run ${out.runId}: ${out.result.exported && out.result.exported.lines > 0 ? 'exported; waiting for its output (covw batch import)' : m.state}`,
			`  ${out.selected} item(s), ${m.counts.total} unit(s): ok ${m.counts.ok}, error ${m.counts.error}, unparsed ${m.counts.unparsed}, pending ${m.counts.pending} (cached ${m.counts.cached})`,
			`  requests this session ${out.result.requests}; tokens ${m.tokens.in} in / ${m.tokens.out} out${m.cost_usd === null ? '' : `; cost $${m.cost_usd.toFixed(4)}${priceNoteOf(m.params) ? ` (${priceNoteOf(m.params)})` : ''}`}${implausible > 0 ? ` (usage implausible on ${implausible} row${implausible === 1 ? '' : 's'}: may be inflated)` : ''}`,
			`  ${runsDir}/${out.runId}`
		];
		// Answers with no program in them: counted, never judged or scored.
		if ((m.counts.no_code ?? 0) > 0) lines.splice(2, 0, `  no code in ${m.counts.no_code} answer(s) (refusals, prose, empty or cut-off answers): never judged or scored`);
		// A down replica is said, not only absorbed by the others.
		lines.push(...drainedReplicaLines(m.replicas_drained).map((l) => `  ${l}`));
		// Ctrl-C: how to resume, and what a second Ctrl-C left unpaid-for in these totals.
		// An export waits for its output: its next step is covw batch import (exportLines), not the same command.
		if (!(out.result.exported && out.result.exported.lines > 0)) lines.push(...stoppedLines(m.state, ['run', ...ctx.args], interrupt.abandoned()));
		if (out.result.exported) {
			lines.push(...exportLines(out.runId, null, out.result.exported));
			if (out.result.exported.lines > 0) {
				ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
				return 0;
			}
			// Every unit answered (by the cache or an earlier import): the run is complete, go on as one.
		}
		if (out.parsed) {
			const modes = out.parsed.modes!;
			lines.push(
				`  scored by the answer parsers: run ${out.parsed.runId}`,
				`  paper vs strict mode: ${modes.any} of ${modes.total} answer(s) read differently (binary ${modes.binary}, class ${modes.classLabel}, strict unparsed ${modes.strictUnparsed})`
			);
		} else if (m.state === 'completed' && m.counts.ok + m.counts.unparsed + (m.counts.no_code ?? 0) === 0 && m.counts.error > 0) {
			// Nothing to judge: say what failed instead of pointing at the judges.
			lines.push(`  no unit has an answer: ${m.counts.error} error(s) — see ${shellCommand(['covw', 'runs', 'show', out.runId])}`);
		} else if (m.state === 'completed') {
			lines.push(`  next: ${shellCommand(['covw', 'judge', out.runId, '--judge', 'rules'])}   (or --judge <endpoint/model> --template zeroshot|fewshot|direct)`);
		}
		ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
		return m.state === 'completed' && m.counts.error === 0 ? 0 : 1;
	} catch (e) {
		progress.finish();
		if (e instanceof RunStorageError || e instanceof BatchApiError) {
			// Not bad input: the run stopped on a local failure, or its Batch API did not answer
			// (the batch record is kept; the same command resumes); the manifest says "failed".
			ctx.stderr(`covw: ${NAME}: stopped: ${printable(e.message)}\n`);
			return 1;
		}
		if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError || e instanceof SelectionError) {
			throw new CliError(`${NAME}: ${e.message}`);
		}
		throw e;
	} finally {
		interrupt.dispose();
		cache?.close();
	}
}

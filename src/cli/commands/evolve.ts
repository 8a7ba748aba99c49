// `covw evolve --model <endpoint/model> […]`: a Vul-Evol synthesis run (seed scenarios ×
// strategies × n), its quality filters, and the accepted scenarios written as a named evolved
// item set. Running the same command again resumes every step; after annotators accepted or
// rejected survivors in the labelling view, it rebuilds the set with only the accepted ones.
import { join, resolve } from 'node:path';
import type { Language } from '../../lib/core/cwe.ts';
import { ITEM_SETS, type ItemSet } from '../../lib/core/items/item.ts';
import { EVOLVE_STRATEGIES, isEvolveStrategy, STRATEGY_SUMMARY, type EvolveStrategy } from '../../lib/core/evolve/strategies.ts';
import { FILTER_COLUMNS } from '../../lib/core/evolve/filters.ts';
import { TemplateError } from '../../lib/core/prompts/template.ts';
import { ConfigError } from '../../lib/engine/config.ts';
import { checkRunId, isRunId } from '../../lib/engine/run-id.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { RunSetupError, RunStorageError } from '../../lib/engine/run-errors.ts';
import { runEvolve, type SecureMethod } from '../../lib/runs/evolve/evolve-run.ts';
import { loadEvolveTemplates } from '../../lib/runs/evolve/evolve-templates.ts';
import { reviewCounts, reviewVotes, writeEvolvedSet, type ReviewMode } from '../../lib/runs/evolve/evolved-set.ts';
import type { AcceptanceVotes } from '../../lib/core/labels/acceptance.ts';
import { parseCweList, selectItems, SelectionError } from '../../lib/runs/select-items.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { progressReporter } from '../progress.ts';
import { cancelOnInterrupt, intFlag, loadConfig, loadItems, loadTemplateSet, openCache, parseFlags, runFolders } from './run-setup.ts';
import { printable, printableLines } from '../../lib/core/text/printable.ts';

const NAME = 'evolve';

export const evolveCommand: Command = {
	words: ['evolve'],
	summary: 'Vul-Evol: evolve seed scenarios into harder ones, filter them, write an evolved item set',
	usage: [
		'Usage: covw evolve --model <endpoint/model> [options]',
		'',
		'--model <m>           the model that rewrites the scenarios',
		'--strategy <s,…>      ' + EVOLVE_STRATEGIES.map((s) => `${s} (${STRATEGY_SUMMARY[s]})`).join(';\n                      '),
		'                      (default: all four)',
		'--n <k>               scenarios per seed and strategy (default 1)',
		'--set <s,…>           seed item sets (default: seed); any completion items of --items-file',
		'--cwe <c,…>, --lang <c|python>, --limit <n>   narrow the seeds',
		'--realise-model <m>   completes each candidate for the realisable filter (default: --model)',
		'--judge-model <m>     answers the "likely to induce" and "already secure" prompts (default: --model)',
		'--secure <rules|llm|both>  how "already secure" is decided (default rules)',
		'--min-distance <x>    normalised edit distance to the seed a scenario must exceed (default 0.1)',
		'--duplicate-similarity <x>  shingle similarity at which a scenario is a near-duplicate (default 0.8)',
		'--name <set>          the evolved item set to write (default: the run id)',
		'--review <auto|require|off>  human acceptance (accept/reject of survivors in the labelling view):',
		'                      auto (default): once any survivor of the run has a vote, only survivors a',
		'                      majority accepted go in (ties and unreviewed ones stay out); with no vote',
		'                      yet, every filter survivor goes in. require: only majority-accepted ones,',
		'                      even with no vote. off: every filter survivor, whatever the votes.',
		'--templates <dir>     your templates (evolve-<strategy>.txt, evolve-induce.txt, evolve-secure.txt,',
		'                      code_completion.txt); missing files come from ours',
		'--config, --items-file, --run-id, --no-cache   as for covw run',
		'',
		'Filters, in order: answer (a scenario with the marker), parses (its code parses in its language;',
		'free, so nothing is sent for one that does not), differs, realisable, induces, not_secure.',
		'Writes runs/<id>/filters.jsonl (one row per candidate, a column and a reason per filter) and',
		'<data>/evolved/<name>/evolved_<name>.arrow (the accepted scenarios as items) and',
		'evolved_<name>_lineage.jsonl (with seed, strategy, run and filter outcomes), and adds the run to',
		'<data>/evolved/vul_evol_filters.jsonl (notebooks/vul-evol.md). After human review, run the same',
		'command again: it resumes (nothing is re-sent) and rebuilds the set from the votes. Run the set with',
		'  covw run completion --evolved <name> --model …'
	].join('\n'),
	run: runEvolveCommand
};

function fraction(flags: ReturnType<typeof parseFlags>, name: string, fallback: number): number {
	const raw = flags.strings[name];
	if (raw === undefined) return fallback;
	const x = Number(raw);
	if (!Number.isFinite(x) || x < 0 || x > 1) throw new CliError(`${NAME}: --${name} must be a number from 0 to 1, got "${raw}"`);
	return x;
}

async function runEvolveCommand(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, {
		model: 'string', strategy: 'list', n: 'string', set: 'list', cwe: 'list', lang: 'list', limit: 'string',
		'realise-model': 'string', 'judge-model': 'string', secure: 'string', 'min-distance': 'string', 'duplicate-similarity': 'string',
		name: 'string', review: 'string', templates: 'string', config: 'string', 'items-file': 'string', 'run-id': 'string', 'no-cache': 'bool'
	});
	if (flags.positional.length) throw new CliError(`${NAME}: unexpected argument "${flags.positional[0]}"\n\n${evolveCommand.usage}`);
	const model = flags.strings.model;
	if (!model) throw new CliError(`${NAME}: --model is required`);
	const strategies = (flags.lists.strategy ?? [...EVOLVE_STRATEGIES]) as EvolveStrategy[];
	for (const s of strategies) if (!isEvolveStrategy(s)) throw new CliError(`${NAME}: unknown strategy "${s}" (expected ${EVOLVE_STRATEGIES.join(', ')})`);
	const secure = (flags.strings.secure ?? 'rules') as SecureMethod;
	if (!['rules', 'llm', 'both'].includes(secure)) throw new CliError(`${NAME}: --secure must be rules, llm or both, got "${secure}"`);
	const sets = (flags.lists.set ?? ['seed']) as ItemSet[];
	for (const s of sets) if (!ITEM_SETS.includes(s)) throw new CliError(`${NAME}: unknown set "${s}" (expected ${ITEM_SETS.join(', ')})`);
	for (const l of flags.lists.lang ?? []) if (l !== 'c' && l !== 'python') throw new CliError(`${NAME}: unknown language "${l}" (expected c or python)`);
	const review = flags.strings.review ?? 'auto';
	if (!['auto', 'require', 'off'].includes(review)) throw new CliError(`${NAME}: --review must be auto, require or off, got "${review}"`);
	const differs = { minDistance: fraction(flags, 'min-distance', 0.1), duplicateSimilarity: fraction(flags, 'duplicate-similarity', 0.8) };
	// Names are checked before anything is sent (a bad --name used to fail after the paid requests);
	// the filter steps' runs are named "<run id>.realise-<8 hex>", so that must be a run id too.
	const runIdFlag = flags.strings['run-id'];
	for (const [flag, value] of [['name', flags.strings.name], ['run-id', runIdFlag], ['run-id', runIdFlag === undefined ? undefined : `${runIdFlag}.realise-00000000`]] as const) {
		if (value !== undefined && !isRunId(value)) {
			try {
				checkRunId(value, `--${flag}${value === runIdFlag || flag === 'name' ? '' : ' with its filter steps\' suffix'}`);
			} catch (e) {
				throw new CliError(`${NAME}: ${(e as Error).message}`);
			}
		}
	}

	const config = loadConfig(NAME, ctx, flags);
	const { items } = await loadItems(NAME, ctx, flags);
	let seeds;
	try {
		const cwe = flags.lists.cwe ? parseCweList(flags.lists.cwe) : undefined;
		const limit = intFlag(NAME, flags, 'limit', 1);
		seeds = selectItems(items, { task: 'completion', set: sets, ...(cwe ? { cwe } : {}), ...(flags.lists.lang ? { language: flags.lists.lang as Language[] } : {}), ...(limit ? { limit } : {}) });
	} catch (e) {
		if (e instanceof SelectionError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	}
	if (seeds.length === 0) throw new CliError(`${NAME}: the seed set is empty: no completion items of set ${sets.join(', ')} match`);
	const folders = runFolders(ctx);
	const taskTemplates = await loadTemplateSet(NAME, ctx, flags);
	let templates;
	try {
		const dir = flags.strings.templates === undefined ? folders.templateDir : resolve(ctx.cwd, flags.strings.templates);
		templates = (await loadEvolveTemplates(dir, folders.templateDir)).templates;
	} catch (e) {
		throw new CliError(`${NAME}: ${(e as Error).message}`);
	}
	const cache = openCache(ctx, flags);
	const progress = progressReporter({ isTTY: ctx.isTTY, write: (t) => ctx.stderr(t) });
	const interrupt = cancelOnInterrupt(ctx);
	try {
		const out = await runEvolve({
			runsDir: folders.runsDir,
			config,
			seeds,
			strategies,
			samples: intFlag(NAME, flags, 'n', 1) ?? 1,
			model,
			realiseModel: flags.strings['realise-model'],
			judgeModel: flags.strings['judge-model'],
			secure,
			differs,
			templates,
			taskTemplates: taskTemplates.templates,
			runId: flags.strings['run-id'],
			cache,
			signal: interrupt.signal,
			onProgress: (_step, p) => progress.update(p),
			onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`)
		});
		progress.finish();
		const lines = [`evolve run ${out.runId}: ${out.state}`];
		for (const [step, r] of Object.entries(out.steps)) {
			const c = r.manifest.counts;
			lines.push(`  ${step.padEnd(8)} ${c.total} unit(s): ok ${c.ok}, unparsed ${c.unparsed}, error ${c.error}, pending ${c.pending} (cached ${c.cached})`);
		}
		if (out.state !== 'completed') {
			ctx.stdout(`${printableLines(lines.join('\n'))}\n  run the same command again to resume\n`);
			return 1;
		}
		lines.push(`  ${out.rows.length} candidate(s) from ${seeds.length} seed(s) × ${strategies.length} strategy(ies)`);
		for (const column of FILTER_COLUMNS) {
			const tally = new Map<string, number>();
			for (const r of out.rows) tally.set(r[column] ?? 'not recorded', (tally.get(r[column] ?? 'not recorded') ?? 0) + 1);
			lines.push(`  ${column.padEnd(11)} ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')}`);
		}
		const unparseable = out.rows.filter((r) => r.parses !== undefined && r.parses !== 'pass' && r.parses !== 'skipped').length;
		if (unparseable) lines.push(`  dropped ${unparseable} scenario(s) whose code does not parse in its language, before any paid filter (nothing sent for them)`);
		const votes = reviewVotes(out.rows, review === 'off' ? null : await acceptanceVotesOf(ctx, folders.dataDir), review as ReviewMode);
		const counts = reviewCounts(out.rows, votes);
		if (counts.survivors === 0) {
			lines.push('  no candidate passed the filters: nothing to review');
		} else if (votes === null) {
			lines.push(
				review === 'off'
					? `  human review off: all ${counts.survivors} filter survivor(s) go in`
					: `  human review: no vote yet on the ${counts.survivors} survivor(s): all go in (accept/reject them in the labelling view, then run this again)`
			);
		} else {
			lines.push(`  human review of ${counts.survivors} survivor(s): accepted ${counts.accepted}, rejected ${counts.rejected}, tied ${counts.ties}, unreviewed ${counts.unreviewed} (only the accepted go in)`);
			if (counts.tied.length) lines.push(`  ties to settle (another annotator's vote): ${counts.tied.join(', ')}`);
		}
		const set = await writeEvolvedSet(folders.dataDir, flags.strings.name ?? out.runId, out.rows, votes);
		lines.push(
			set.arrow ? `  accepted ${set.count}: evolved set ${set.arrow}` : '  accepted 0: no evolved set written',
			`  filter table ${out.filtersFile} (and ${set.filters})`
		);
		ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
		const errors = Object.values(out.steps).some((r) => r.manifest.counts.error > 0);
		return errors ? 1 : 0;
	} catch (e) {
		progress.finish();
		if (e instanceof RunStorageError) {
			ctx.stderr(`covw: ${NAME}: stopped: ${printable(e.message)}\n`);
			return 1;
		}
		if (e instanceof ConfigError || e instanceof RunSetupError || e instanceof RunLockedError || e instanceof SelectionError || e instanceof TemplateError) {
			throw new CliError(`${NAME}: ${e.message}`);
		}
		throw e;
	} finally {
		interrupt.dispose();
		cache?.close();
	}
}

/** Accept/reject votes per survivor from the data folder's labels (the labelling view's store); null with no labels file. */
async function acceptanceVotesOf(ctx: CliContext, dataDir: string): Promise<Map<string, AcceptanceVotes> | null> {
	const { readAcceptanceVotes } = await import('../../lib/server/labels/acceptance-votes.ts');
	try {
		return readAcceptanceVotes(dataDir, (w) => ctx.stderr(`warning: ${printable(w)}\n`));
	} catch (e) {
		throw new CliError(`${NAME}: reading the human labels: ${(e as Error).message}`);
	}
}

// `covw export sft …`: fine-tuning data (SC-IFT from judged runs, VD-IFT from labelled sets and
// detection items) in OpenAI chat JSONL or plain instruction/response JSONL, after a leakage
// check against the test items that refuses — or with --drop-leaks drops and lists — examples
// that repeat a test item. Programs that do not parse in their language (the rule judge's
// tree-sitter parsers) are excluded from SC-IFT and counted by reason; VD-IFT keeps them (its labels come from
// commits, and a real function cut from its file often fails to parse on its macros) and marks them, unless --drop-unparsed.
// Beside the file: <file>.provenance.jsonl (one line per example, same order: runs, unit, item,
// sample, source set, judge runs and verdicts) and <file>.manifest.json (sources, drops, leak check).
import { existsSync, lstatSync, statSync } from 'node:fs';
import { readRegularText, readUserText } from '../../lib/engine/atomic-file.ts';
import { resolve } from 'node:path';
import type { Item } from '../../lib/core/items/item.ts';
import { SFT_FORMATS, type SftFormat } from '../../lib/core/evolve/sft-format.ts';
import { RunSetupError } from '../../lib/engine/run-errors.ts';
import { checkLeaks, dedupeExamples, excludeUnparseable, ExportError, itemSourcesOfRuns, parseExclusionText, scIftExamples, sidecarPaths, vdIftFromItems, vdIftFromLabelled, writeSft, type TracedExample, type VdIftReport } from '../../lib/runs/evolve/sft-export.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { loadItems, loadTemplateSet, parseFlags, runFolders, type ParsedFlags } from './run-setup.ts';
import { printable, printableLines } from '../../lib/core/text/printable.ts';

const NAME = 'export sft';
const KINDS = ['sc-ift', 'vd-ift'] as const;

export const exportSftCommand: Command = {
	words: ['export', 'sft'],
	summary: 'fine-tuning data: SC-IFT from judged runs, VD-IFT from labelled sets, with a leakage check',
	usage: [
		'Usage: covw export sft --kind sc-ift --run <generation run,…> --judges <judge run,…> --out <file> [options]',
		'       covw export sft --kind vd-ift (--labelled <file.jsonl,…> | --detection) --out <file> [options]',
		'',
		'--kind <k>               sc-ift: (task prompt, secure program) pairs from completion or repair runs,',
		'                         kept when every judge run given of that run finds the program secure; one',
		'                         per program across all the runs.',
		'                         vd-ift: (detection question, answer) from labelled JSONL (id, code, language,',
		'                         cwe, label: vulnerable|secure — e.g. ../shared/sven/train.jsonl) and/or',
		'                         the detection items of --items-file (--detection)',
		'--human                  sc-ift: also require the annotators\' majority label (labelling view) to say',
		'                         not vulnerable',
		'--format <f>             openai (chat JSONL for fine-tuning, default) or instruction (instruction/response)',
		'--out <file>             where to write (refused when it or a sidecar below exists, unless --force; never',
		'                         the same file as an input)',
		'--force                  overwrite an existing --out and its sidecars',
		'--items-file <f>         the items the run was made from / detection items (default: the imported benchmark;',
		'                         sc-ift: also every evolved set the runs\' items come from, as covw run --evolved gave them)',
		'--evolved <set>          the items of an evolved set (instead of --items-file)',
		'--templates <dir>        the prompt templates the run used (SC-IFT rebuilds its prompts)',
		'--test-items <f>         items table (.arrow) or items JSONL of the test items (default: the imported',
		'                         benchmark, datasets/coveval/items.arrow)',
		'--leak-similarity <x>    shingle similarity at which an example repeats a test item (default 0.8)',
		'--drop-leaks             drop and list leaking examples instead of refusing to write',
		'--drop-unparsed          vd-ift: drop programs that do not parse in their language (kept by default and',
		'                         marked in the provenance: real functions cut from their files often fail on',
		'                         macros; sc-ift always drops them: a secure verdict on code that does not parse',
		'                         teaches nothing)',
		'',
		'Beside --out: <out>.provenance.jsonl (one line per example, in the same order: its run, unit, item,',
		'sample, source set, judge runs and verdicts, or its labelled file and line) and <out>.manifest.json',
		'(what was read, what was dropped and why, the leak check).',
		'',
		'Exit status: 0 written, 2 bad input or leaks found (nothing written).'
	].join('\n'),
	run: runExport
};

async function readItemsFile(path: string): Promise<Item[]> {
	if (path.endsWith('.jsonl')) {
		// Named by the user: may be a pipe (read as a stream, size-capped).
		return readUserText(path)
			.split('\n')
			.filter((l) => l.trim() !== '')
			.map((l, i) => {
				try {
					return JSON.parse(l) as Item;
				} catch (e) {
					throw new CliError(`${NAME}: ${path}: line ${i + 1}: not JSON (${(e as Error).message})`);
				}
			});
	}
	const { readItemsArrow } = await import('../../lib/node/coveval/items-arrow.ts');
	return readItemsArrow(path);
}

/**
 * The items SC-IFT rebuilds the runs' prompts from: --items-file or --evolved when given; else
 * every evolved set the runs' rows name (a completion run over `--evolved my-set` has items
 * completion/evolved-my-set/…), plus the imported benchmark when some row names another item.
 */
async function scIftItems(ctx: CliContext, flags: ParsedFlags, runs: readonly string[]): Promise<Item[]> {
	if (flags.strings['items-file'] !== undefined || flags.strings.evolved !== undefined) return (await loadItems(NAME, ctx, flags)).items;
	const { evolvedSets, otherItems } = itemSourcesOfRuns(runFolders(ctx).runsDir, runs);
	const items: Item[] = [];
	for (const name of evolvedSets) items.push(...(await loadItems(NAME, ctx, { ...flags, strings: { ...flags.strings, evolved: name } })).items);
	if (otherItems || evolvedSets.length === 0) items.push(...(await loadItems(NAME, ctx, flags)).items);
	return items;
}

/** The annotators' majority vote per target, from the data folder's labels (the labelling view's store). */
async function humanDecisions(ctx: CliContext): Promise<(id: string) => string | null> {
	const { join } = await import('node:path');
	const { LABELS_FILE } = await import('../../lib/server/labels/label-store.ts');
	const { parseLabelLines } = await import('../../lib/server/labels/label-lines.ts');
	const { latestLabels } = await import('../../lib/core/labels/latest.ts');
	const { majorityVotes } = await import('../../lib/core/labels/aggregate.ts');
	const file = join(runFolders(ctx).dataDir, LABELS_FILE);
	if (!existsSync(file)) throw new CliError(`${NAME}: --human: no labels at ${file} (label the run's programs in the workbench first)`);
	let parsed;
	try {
		// Found in the data folder: a regular file only (a FIFO there is refused by name).
		parsed = parseLabelLines(readRegularText(file), file);
	} catch (e) {
		throw new CliError(`${NAME}: --human: ${(e as Error).message}`);
	}
	for (const w of parsed.warnings) ctx.stderr(`warning: ${printable(w)}\n`);
	const decisions = new Map(majorityVotes(latestLabels(parsed.labels)).map((v) => [v.target_id, v.decision]));
	return (id) => decisions.get(id) ?? null;
}

/** dev+ino of an existing file (null when it does not exist or cannot be read). */
function identity(path: string): string | null {
	try {
		const st = statSync(path);
		return `${st.dev}:${st.ino}`;
	} catch {
		return null;
	}
}

/** Whether anything (a file, a link, even a dangling one) stands at `path`. */
function present(path: string): boolean {
	try {
		lstatSync(path);
		return true;
	} catch {
		return false;
	}
}

/**
 * Before anything is read: --out and its sidecars must not be an input (by path, or by dev+ino:
 * a link or another spelling of it), and must not exist unless --force. Names the file.
 */
function refuseOverwrite(out: string, inputs: readonly string[], force: boolean): void {
	const side = sidecarPaths(out);
	const inputIds = new Map<string, string>();
	for (const input of inputs) {
		const id = identity(input);
		if (id !== null) inputIds.set(id, input);
	}
	for (const target of [out, side.provenance, side.manifest]) {
		const sameName = inputs.find((i) => i === target);
		const id = identity(target);
		const sameFile = sameName ?? (id === null ? undefined : inputIds.get(id));
		if (sameFile !== undefined) throw new CliError(`${NAME}: ${printable(target)} is the input ${printable(sameFile)}; writing there would replace it (choose another --out)`);
		if (!force && present(target)) throw new CliError(`${NAME}: ${printable(target)} exists; nothing written (--force overwrites it, or choose another --out)`);
	}
}

async function runExport(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, {
		kind: 'string', run: 'list', judges: 'list', human: 'bool', labelled: 'list', detection: 'bool', format: 'string', out: 'string',
		'items-file': 'string', evolved: 'string', templates: 'string', 'test-items': 'string', 'leak-similarity': 'string', 'drop-leaks': 'bool',
		'drop-unparsed': 'bool', force: 'bool'
	});
	if (flags.positional.length) throw new CliError(`${NAME}: unexpected argument "${flags.positional[0]}"\n\n${exportSftCommand.usage}`);
	const kind = flags.strings.kind as (typeof KINDS)[number];
	if (!KINDS.includes(kind)) throw new CliError(`${NAME}: --kind must be ${KINDS.join(' or ')}`);
	const format = (flags.strings.format ?? 'openai') as SftFormat;
	if (!SFT_FORMATS.includes(format)) throw new CliError(`${NAME}: --format must be ${SFT_FORMATS.join(' or ')}, got "${format}"`);
	if (!flags.strings.out) throw new CliError(`${NAME}: --out <file> is required`);
	const out = resolve(ctx.cwd, flags.strings.out);
	const threshold = flags.strings['leak-similarity'] === undefined ? 0.8 : Number(flags.strings['leak-similarity']);
	if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) throw new CliError(`${NAME}: --leak-similarity must be a number in (0, 1]`);

	const testPath = flags.strings['test-items'] === undefined ? resolve(runFolders(ctx).dataDir, 'coveval/items.arrow') : resolve(ctx.cwd, flags.strings['test-items']);
	const inputs = [...(flags.lists.labelled ?? []).map((f) => resolve(ctx.cwd, f)), ...(flags.strings['items-file'] === undefined ? [] : [resolve(ctx.cwd, flags.strings['items-file'])]), testPath];
	refuseOverwrite(out, inputs, flags.bools.has('force'));
	if (!existsSync(testPath)) throw new CliError(`${NAME}: no test items at ${testPath}: import the benchmark (covw data import) or give --test-items; the leakage check needs them`);
	const testItems = await readItemsFile(testPath);

	const lines: string[] = [];
	let examples: TracedExample[];
	const sources: Record<string, unknown> = {};
	const dropped: Record<string, unknown> = {};
	try {
		if (kind === 'sc-ift') {
			const runs = flags.lists.run ?? [];
			if (runs.length === 0) throw new CliError(`${NAME}: --run <generation run,…> is required for sc-ift`);
			const items = await scIftItems(ctx, flags, runs);
			const templates = await loadTemplateSet(NAME, ctx, flags);
			const humanDecision = flags.bools.has('human') ? await humanDecisions(ctx) : undefined;
			const sc = scIftExamples({ runsDir: runFolders(ctx).runsDir, generationRunIds: runs, judgeRunIds: flags.lists.judges ?? [], items, templates: templates.templates, humanDecision });
			const r = sc.report;
			lines.push(`SC-IFT from run(s) ${runs.join(', ')} judged by ${(flags.lists.judges ?? []).join(', ')}: ${r.generations} program(s): secure by every judge ${r.secure}, vulnerable ${r.vulnerable}, undecided ${r.undecided}; duplicates dropped ${r.duplicates}`);
			if (r.contradicting > 0) lines.push(`  dropped ${r.contradicting} secure program(s) whose identical code (whitespace aside) a judge found vulnerable in another unit or run`);
			if (humanDecision) lines.push(`  human labels required: ${r.noHumanAgreement} secure program(s) dropped without an annotators' majority for "not vulnerable"`);
			examples = sc.examples;
			Object.assign(sources, { generation_runs: runs, judge_runs: flags.lists.judges ?? [], human_labels_required: humanDecision !== undefined });
			Object.assign(dropped, { sc_ift: r });
		} else {
			if (!flags.lists.labelled && !flags.bools.has('detection')) throw new CliError(`${NAME}: vd-ift needs --labelled <file> and/or --detection`);
			const report: VdIftReport = { records: 0, unsupported: 0, duplicates: 0 };
			examples = [];
			for (const file of flags.lists.labelled ?? []) examples.push(...vdIftFromLabelled(resolve(ctx.cwd, file), report).examples);
			if (flags.bools.has('detection')) examples.push(...vdIftFromItems((await loadItems(NAME, ctx, flags)).items));
			const deduped = dedupeExamples(examples);
			examples = deduped.kept;
			Object.assign(sources, { labelled: (flags.lists.labelled ?? []).map((f) => resolve(ctx.cwd, f)), detection_items: flags.bools.has('detection') });
			Object.assign(dropped, { vd_ift: { ...report, duplicates: deduped.duplicates, contradicting_labels: deduped.contradictingLabels, conflicting_cwes: deduped.conflictingCwes } });
			lines.push(
				`VD-IFT: ${report.records} labelled record(s) (${report.unsupported} unsupported language or CWE), ${examples.length} example(s) after dropping:`,
				`  ${deduped.duplicates} duplicate(s) (the same code, whitespace aside, with the same label; the first kept)`,
				`  ${deduped.contradictingLabels} program(s) whose identical code is labelled both vulnerable and secure (every copy)`,
				`  ${deduped.conflictingCwes} program(s) whose identical code is labelled with different CWEs (every copy)`
			);
		}
	} catch (e) {
		if (e instanceof ExportError || e instanceof RunSetupError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	}

	// Generated programs that do not parse are no training data (SC-IFT always drops them). VD-IFT's labels come
	// from commits, and a real function cut from its file often fails to parse on its macros: kept, marked, unless --drop-unparsed.
	const keepUnparsed = kind === 'vd-ift' && !flags.bools.has('drop-unparsed');
	if (flags.bools.has('drop-unparsed') && kind !== 'vd-ift') throw new CliError(`${NAME}: --drop-unparsed is for vd-ift; sc-ift always drops a program that does not parse`);
	const { parseChecker } = await import('../../lib/runs/evolve/code-parses.ts');
	const parsed = excludeUnparseable(examples, await parseChecker());
	const unparsedCount = parsed.excluded.length;
	const reasons = parseExclusionText(parsed.byReason);
	const notChecked = parsed.byReason.not_checked ?? 0;
	if (!keepUnparsed) {
		examples = parsed.kept;
		lines.push(unparsedCount === 0 ? 'every program parses in its language' : `excluded ${unparsedCount} program(s) that do not parse in their language: ${reasons.join('; ')}`);
		if (notChecked > 0) lines.push(`  the ${notChecked} program(s) not checked in time are excluded too, never assumed to parse`);
	} else {
		// Marked per example (by its place in the list): ids repeat across labelled files.
		const findings = new Map(parsed.excluded.map((x) => [x.index, x.problem]));
		for (const [i, e] of examples.entries()) {
			const problem = findings.get(i);
			e.provenance.parses = problem === undefined ? true : problem === 'not_checked' ? null : false;
		}
		lines.push(
			unparsedCount === 0
				? 'every program parses in its language'
				: `kept ${unparsedCount} program(s) that do not parse in their language (marked parses: false in the provenance, or null when not checked; --drop-unparsed drops them): ${reasons.join('; ')}`
		);
	}
	dropped.unparseable = { excluded: !keepUnparsed, by_reason: parsed.byReason, programs: parsed.excluded };

	const { clean, leaks } = checkLeaks(examples, testItems, threshold);
	const listed = leaks.slice(0, 20).map((l) => `  ${l.example_id} repeats test item ${l.test_id} (similarity ${l.similarity.toFixed(3)})`);
	if (leaks.length > 20) listed.push(`  … and ${leaks.length - 20} more`);
	if (leaks.length > 0 && !flags.bools.has('drop-leaks')) {
		throw new CliError(`${NAME}: ${leaks.length} example(s) repeat a test item of ${testPath}; nothing written (--drop-leaks drops them):\n${listed.join('\n')}`);
	}
	if (leaks.length > 0) lines.push(`dropped ${leaks.length} example(s) that repeat a test item:`, ...listed);
	const side = await writeSft(out, clean, format, {
		kind,
		written_at: new Date().toISOString(),
		sources,
		dropped,
		leak_check: { test_items: testPath, test_item_count: testItems.length, similarity_threshold: threshold, leaks_found: leaks.length, leaks_dropped: leaks.length, leaks, clean: clean.length }
	});
	lines.push(`wrote ${clean.length} example(s) (${format}) to ${out}`, `  provenance (one line per example, same order): ${side.provenance}`, `  manifest (sources, drops, leak check): ${side.manifest}`);
	ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
	return 0;
}

// `covw data import <path> [<path>…] [--pearce <path>] [--out <dir>]`: reads the benchmark from
// one or more folders in either layout, writes the canonical items table as Arrow, prints the
// counts and checks them against the complete benchmark. A part wholly absent (the CoV-Eval
// items, or the Pearce et al. reference programs) is reported as missing, with what it disables
// and what to pass to add it, not as a mismatch. All work happens in run(ctx) so tests can call it directly.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CWE_IDS } from '../../lib/core/cwe.ts';
import { collectItems } from '../../lib/core/items/collect.ts';
import { checkCounts, countItems, type CountCheck, type ItemCounts } from '../../lib/core/items/counts.ts';
import { TASKS } from '../../lib/core/items/item.ts';
import { RecordError } from '../../lib/core/items/record-error.ts';
import { itemsToArrowStream, writeFileAtomic } from '../../lib/node/coveval/items-arrow.ts';
import { loadItemsFromFolder, type LoadedItems } from '../../lib/node/coveval/load-items.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { shellCommand } from '../shell-quote.ts';
import { runFolders } from '../flags.ts';
import { printableLines } from '../../lib/core/text/printable.ts';

export const ITEMS_FILE = 'items.arrow';
export const ITEMS_META_FILE = 'items.meta.json';

export const dataImportCommand: Command = {
	words: ['data', 'import'],
	summary: 'import the CoV-Eval items into the data folder (Arrow)',
	usage: [
		'Usage: covw data import <path> [<path>…] [--pearce <path>] [--out <dir>]',
		'',
		'<path>    a folder holding the benchmark: the packed JSONL files (as in shared/coveval, which holds',
		'          both parts), a clone of github.com/MurrayTom/CoV-Eval, and/or the Pearce et al. programs.',
		'--pearce  the Pearce et al. programs (the 1,087 reference programs: experiments_dow/… with',
		'          dow_results.csv, e.g. a clone of github.com/streichsbaer/copilot-security-dataset), read',
		'          with the other path(s). A CoV-Eval clone alone does not hold them.',
		'--out     where to write items.arrow and items.meta.json (default: coveval/ in the data folder,',
		'          $COVW_DATA if set, else the project\'s datasets/ — where run and judge read items).',
		'',
		'Each import replaces the table: pass every part at once. Without the Pearce programs everything',
		'imported works; only `covw judge --template fewshot` (its examples come from them), `covw judge',
		'--items pearce` and the Pearce rows of the judge notebooks need them — the import says so.',
		'',
		'Relative paths are taken from the current directory. Exit status: 0 when the counts of what was',
		'imported match the complete benchmark (324 completion, 477 repair, 531 detection, 1,087',
		'reference; a part wholly missing is named, not a mismatch), 1 when they do not (the table is',
		'still written), 2 on bad input.'
	].join('\n'),
	run: runDataImport
};

/** The two parts of the benchmark, each from its own upstream, each checked only when present. */
const PARTS = [
	{
		name: 'CoV-Eval items',
		tasks: ['completion', 'repair', 'detection'],
		sets: ['seed', 'vul-evol', 'repair', 'detection'],
		disables: 'every generation run (`covw run completion|repair|detection`) and the judges of their answers have no items',
		add: (paths: string) => `covw data import <CoV-Eval clone> ${paths}`
	},
	{
		name: 'Pearce et al. reference programs',
		tasks: ['reference'],
		sets: ['pearce'],
		disables:
			'`covw judge --template fewshot` cannot run (its examples are these programs), `covw judge --items pearce` has nothing to judge, the Pearce rows of the figure5-evaluators and judges-real notebooks stay empty, and /label offers no pearce set. Runs, and the rules, analyzers, zero-shot and direct judges, work without them',
		add: (paths: string) => `covw data import ${paths} --pearce <Pearce folder: experiments_dow/… and dow_results.csv, e.g. a clone of github.com/streichsbaer/copilot-security-dataset>`
	}
] as const;

const partOf = (check: CountCheck) => PARTS.find((p) => (p.tasks as readonly string[]).includes(check.what.replace(/^task /, '')) || (p.sets as readonly string[]).includes(check.what.replace(/^set /, '')))!;

async function runDataImport(ctx: CliContext): Promise<number> {
	const { inputs, pearce, out } = parseArgs(ctx.args);
	const inputPaths = [...inputs, ...(pearce === undefined ? [] : [pearce])].map((p) => resolve(ctx.cwd, p));
	// --out is the user's path; the default is coveval/ in the data folder that `covw run` and
	// `covw judge` read items from (COVW_DATA, else the project's datasets/), wherever covw runs from.
	const outDir = out === undefined ? resolve(runFolders(ctx).dataDir, 'coveval') : resolve(ctx.cwd, out);
	for (const inputPath of inputPaths) {
		const info = await stat(inputPath).catch(() => null);
		if (!info?.isDirectory()) throw new CliError(`data import: ${inputPath} is not a folder`);
	}

	const loads: LoadedItems[] = [];
	for (const inputPath of inputPaths) {
		try {
			loads.push(await loadItemsFromFolder(inputPath));
		} catch (error) {
			if (error instanceof RecordError) throw new CliError(`data import: ${error.message}`);
			throw error;
		}
	}
	const pearceLoad = pearce === undefined ? null : loads[loads.length - 1];
	if (pearceLoad && !pearceLoad.items.some((i) => i.task === 'reference')) {
		throw new CliError(`data import: --pearce ${inputPaths[inputPaths.length - 1]} holds no Pearce et al. programs (expected experiments_dow/<cwe>/<scenario>/gen_scenario/… with dow_results.csv, or packed records as in shared/coveval/pearce)`);
	}
	const collected = collectItems(loads.flatMap((l) => l.items));
	const loaded = {
		items: collected.items,
		duplicates: collected.duplicates + loads.reduce((n, l) => n + l.duplicates, 0),
		jsonlFiles: loads.reduce((n, l) => n + l.jsonlFiles, 0),
		programFiles: loads.reduce((n, l) => n + l.programFiles, 0),
		skipped: {} as Record<string, number>
	};
	for (const l of loads) for (const [kind, n] of Object.entries(l.skipped)) loaded.skipped[kind] = (loaded.skipped[kind] ?? 0) + n;
	const from = inputPaths.join(', ');
	if (loaded.items.length === 0) {
		throw new CliError(`data import: no benchmark items found under ${from}`);
	}

	const bytes = itemsToArrowStream(loaded.items);
	const counts = countItems(loaded.items);
	const checks = checkCounts(counts);
	// A part with no item at all is missing (named below), not a mismatch.
	const missing = PARTS.filter((p) => p.tasks.every((t) => counts.byTask[t] === 0));
	const itemsPath = join(outDir, ITEMS_FILE);
	await writeFileAtomic(itemsPath, bytes);
	const meta = {
		items: loaded.items.length,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		source: inputPaths.length === 1 ? inputPaths[0] : inputPaths,
		counts: { byTask: counts.byTask, bySet: counts.bySet },
		checks,
		missing: missing.map((p) => p.name)
	};
	await writeFileAtomic(join(outDir, ITEMS_META_FILE), `${JSON.stringify(meta, null, '\t')}\n`);

	const lines: string[] = [];
	lines.push(`Read ${loaded.jsonlFiles} JSONL file(s) and ${loaded.programFiles} program file(s) from ${from}`);
	const skipped = Object.entries(loaded.skipped).map(([kind, n]) => `${kind} ${n}`);
	if (skipped.length > 0) lines.push(`Skipped (not benchmark items): ${skipped.join(', ')}`);
	if (loaded.duplicates > 0) lines.push(`Dropped ${loaded.duplicates} duplicate program(s) seen twice`);
	lines.push(`Wrote ${loaded.items.length} items to ${itemsPath} (sha256 ${meta.sha256.slice(0, 12)}…)`, '');
	lines.push(...formatCounts(counts), '');
	for (const check of checks) {
		const label = check.ok ? 'ok      ' : missing.includes(partOf(check)) ? 'missing ' : 'MISMATCH';
		lines.push(`${label} ${check.what.padEnd(16)} ${String(check.actual).padStart(5)} (expected ${check.expected})`);
	}
	const failed = checks.filter((c) => !c.ok && !missing.includes(partOf(c))).length;
	lines.push(
		'',
		failed === 0
			? missing.length === 0
				? 'All counts match the complete benchmark.'
				: 'All counts of what was imported match the complete benchmark.'
			: `${failed} count(s) differ from the complete benchmark; the table was written anyway.`
	);
	const given = shellCommand([...inputs, ...(pearce === undefined ? [] : ['--pearce', pearce])]);
	for (const part of missing) {
		lines.push(
			'',
			`Missing: the ${part.name} (none found under ${from}). Without them ${part.disables}.`,
			`To add them, import again with both parts (an import replaces the table): ${part.add(given)}`
		);
	}
	ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
	return failed === 0 ? 0 : 1;
}

function parseArgs(args: string[]): { inputs: string[]; pearce: string | undefined; out: string | undefined } {
	let out: string | undefined;
	let pearce: string | undefined;
	const positional: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (arg === '--out' || arg === '--pearce') {
			const value = args[++i];
			if (value === undefined || value.startsWith('--')) throw new CliError(`data import: ${arg} needs a folder`);
			if (arg === '--out') out = value;
			else pearce = value;
		} else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
		else if (arg.startsWith('--pearce=')) pearce = arg.slice('--pearce='.length);
		else if (arg.startsWith('-')) throw new CliError(`data import: unknown option ${arg}`);
		else positional.push(arg);
	}
	if (positional.length === 0 && pearce === undefined) {
		throw new CliError(`data import: expected a <path>, got none\n\n${dataImportCommand.usage}`);
	}
	return { inputs: positional, pearce, out };
}

/** Two small tables: CWE × task and language × task. */
function formatCounts(counts: ItemCounts): string[] {
	const header = `${''.padEnd(9)}${TASKS.map((t) => t.padStart(11)).join('')}`;
	const row = (label: string, perTask: Record<string, number>) =>
		`${label.padEnd(9)}${TASKS.map((t) => String(perTask[t]).padStart(11)).join('')}`;
	return [
		header,
		...CWE_IDS.map((cwe) => row(cwe, counts.byCwe[cwe])),
		row('c', counts.byLanguage.c),
		row('python', counts.byLanguage.python),
		row('total', counts.byTask)
	];
}

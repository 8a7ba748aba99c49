// `covw data import <path> [--out <dir>]`: reads the benchmark from a folder in
// either layout, writes the canonical items table as Arrow, prints the counts and checks them
// against the complete benchmark. All work happens in run(ctx) so tests can call it directly.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CWE_IDS } from '../../lib/core/cwe.ts';
import { checkCounts, countItems, type ItemCounts } from '../../lib/core/items/counts.ts';
import { TASKS } from '../../lib/core/items/item.ts';
import { RecordError } from '../../lib/core/items/record-error.ts';
import { itemsToArrowStream, writeFileAtomic } from '../../lib/node/coveval/items-arrow.ts';
import { loadItemsFromFolder } from '../../lib/node/coveval/load-items.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { runFolders } from '../flags.ts';

export const ITEMS_FILE = 'items.arrow';
export const ITEMS_META_FILE = 'items.meta.json';

export const dataImportCommand: Command = {
	words: ['data', 'import'],
	summary: 'import the CoV-Eval items into the data folder (Arrow)',
	usage: [
		'Usage: covw data import <path> [--out <dir>]',
		'',
		'<path>  a folder holding the benchmark: the packed JSONL files (as in shared/coveval),',
		'        a clone of github.com/MurrayTom/CoV-Eval, and/or the Pearce et al. repository',
		'        (experiments_dow/… with dow_results.csv).',
		'--out   where to write items.arrow and items.meta.json (default: coveval/ in the data folder,',
		'        $COVW_DATA if set, else the project\'s datasets/ — where run and judge read items).',
		'',
		'Relative paths are taken from the current directory. Exit status: 0 when the counts match the',
		'complete benchmark (324 completion, 477 repair, 531 detection, 1,087 reference), 1 when',
		'they do not (the table is still written), 2 on bad input.'
	].join('\n'),
	run: runDataImport
};

async function runDataImport(ctx: CliContext): Promise<number> {
	const { input, out } = parseArgs(ctx.args);
	const inputPath = resolve(ctx.cwd, input);
	// --out is the user's path; the default is coveval/ in the data folder that `covw run` and
	// `covw judge` read items from (COVW_DATA, else the project's datasets/), wherever covw runs from.
	const outDir = out === undefined ? resolve(runFolders(ctx).dataDir, 'coveval') : resolve(ctx.cwd, out);
	const info = await stat(inputPath).catch(() => null);
	if (!info?.isDirectory()) throw new CliError(`data import: ${inputPath} is not a folder`);

	let loaded;
	try {
		loaded = await loadItemsFromFolder(inputPath);
	} catch (error) {
		if (error instanceof RecordError) throw new CliError(`data import: ${error.message}`);
		throw error;
	}
	if (loaded.items.length === 0) {
		throw new CliError(`data import: no benchmark items found under ${inputPath}`);
	}

	const bytes = itemsToArrowStream(loaded.items);
	const counts = countItems(loaded.items);
	const checks = checkCounts(counts);
	const itemsPath = join(outDir, ITEMS_FILE);
	await writeFileAtomic(itemsPath, bytes);
	const meta = {
		items: loaded.items.length,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		source: inputPath,
		counts: { byTask: counts.byTask, bySet: counts.bySet },
		checks
	};
	await writeFileAtomic(join(outDir, ITEMS_META_FILE), `${JSON.stringify(meta, null, '\t')}\n`);

	const lines: string[] = [];
	lines.push(`Read ${loaded.jsonlFiles} JSONL file(s) and ${loaded.programFiles} program file(s) from ${inputPath}`);
	const skipped = Object.entries(loaded.skipped).map(([kind, n]) => `${kind} ${n}`);
	if (skipped.length > 0) lines.push(`Skipped (not benchmark items): ${skipped.join(', ')}`);
	if (loaded.duplicates > 0) lines.push(`Dropped ${loaded.duplicates} duplicate program(s) seen twice`);
	lines.push(`Wrote ${loaded.items.length} items to ${itemsPath} (sha256 ${meta.sha256.slice(0, 12)}…)`, '');
	lines.push(...formatCounts(counts), '');
	for (const check of checks) {
		lines.push(`${check.ok ? 'ok      ' : 'MISMATCH'} ${check.what.padEnd(16)} ${String(check.actual).padStart(5)} (expected ${check.expected})`);
	}
	const failed = checks.filter((c) => !c.ok).length;
	lines.push(
		'',
		failed === 0
			? 'All counts match the complete benchmark.'
			: `${failed} count(s) differ from the complete benchmark; the table was written anyway.`
	);
	ctx.stdout(`${lines.join('\n')}\n`);
	return failed === 0 ? 0 : 1;
}

function parseArgs(args: string[]): { input: string; out: string | undefined } {
	let out: string | undefined;
	const positional: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (arg === '--out') {
			const value = args[++i];
			if (value === undefined || value.startsWith('--')) throw new CliError('data import: --out needs a folder');
			out = value;
		} else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
		else if (arg.startsWith('-')) throw new CliError(`data import: unknown option ${arg}`);
		else positional.push(arg);
	}
	if (positional.length !== 1) {
		throw new CliError(`data import: expected one <path>, got ${positional.length}\n\n${dataImportCommand.usage}`);
	}
	return { input: positional[0], out };
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

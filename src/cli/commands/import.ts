// `covw import <file>`: runs made elsewhere come in as runs of this workbench — the released
// CoV-Eval results, promptfoo's results.json, an Inspect AI JSON log, or a plain JSONL/CSV of
// item_id, model, response (sample, vulnerable, judge optional). Answers are matched to the
// benchmark items (the items table, as for covw run); verdicts the file carries become judge
// runs of the judge that gave them. Records that do not come in are listed with file, line and
// field; the others still come in. Importing the same file again writes nothing new.
import { ImportError, importRuns, type ImportResult } from '../../lib/runs/import/import-runs.ts';
import { IMPORT_FORMATS, problemText, type ImportFormat } from '../../lib/runs/import/types.ts';
import { importLabelledSet } from '../../lib/runs/import/labelled-set.ts';
import { RunSetupError } from '../../lib/engine/run-units.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { loadItems, parseFlags, runFolders } from './run-setup.ts';
import { basename, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';

const NAME = 'import';
const LISTED = 50;

export const importCommand: Command = {
	words: ['import'],
	summary: 'import runs made elsewhere (released CoV-Eval results, promptfoo, Inspect AI, JSONL/CSV)',
	usage: [
		'Usage: covw import <file> [--items-file items.arrow] [--format <format>] [--judge-name <name>] [--json]',
		'       covw import --labelled <name> <file.jsonl|file.csv>',
		'',
		'--labelled <name>  a labelled set of your own programs (id, code, language, cwe, label',
		'              vulnerable|secure, optional pair_id) as item set <name>, stored in the data',
		'              folder; then `covw judge --items <name> --judge …` and `covw runs show` report',
		'              consistency, TPR, TNR, kappa, Diff and pair accuracy. Languages other than C and',
		'              Python are counted as unsupported. An existing set is never overwritten.',
		'',
		'<file>        one of:',
		'              - a released CoV-Eval results file (results/<task>/<model>.json upstream): a',
		'                generation run of <model>; its vul_eval verdicts a judge run of openai/gpt-4o;',
		'              - promptfoo\'s `promptfoo eval -o results.json` (test cases need an item_id var;',
		'                assertions passing = secure);',
		'              - an Inspect AI JSON eval log (sample id or metadata.item_id = the item;',
		'                scorer value C/I = secure/vulnerable);',
		'              - a JSONL, JSON or CSV table with item_id, model, response [, sample,',
		'                vulnerable, judge].',
		'--items-file  the items table answers are matched to (default: the imported benchmark).',
		'--judge-name  promptfoo: what its assertions stand for (judge "promptfoo/<name>").',
		`--format      the file's format instead of detecting it: ${IMPORT_FORMATS.join(', ')}.`,
		'',
		'Exit status: 0 when every record came in, 1 when some did not (they are listed),',
		'2 on a file in no known format or another bad input.'
	].join('\n'),
	run: runImport
};

async function runImport(ctx: CliContext): Promise<number> {
	const flags = parseFlags(NAME, ctx.args, { 'items-file': 'string', 'judge-name': 'string', format: 'string', labelled: 'string', json: 'bool' });
	if (flags.positional.length !== 1) throw new CliError(`${NAME}: expected one file\n\n${importCommand.usage}`);
	const path = resolve(ctx.cwd, flags.positional[0]);
	if (!existsSync(path)) throw new CliError(`${NAME}: ${path}: no such file`);
	if (statSync(path).isDirectory()) throw new CliError(`${NAME}: ${path}: is a directory; give a file`);
	if (flags.strings.labelled !== undefined) return runLabelledImport(ctx, path, flags.strings.labelled, flags.bools.has('json'));
	const format = flags.strings.format;
	if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`${NAME}: --format must be one of ${IMPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
	const { items } = await loadItems(NAME, ctx, flags);
	const { runsDir } = runFolders(ctx);
	let result: ImportResult;
	try {
		result = await importRuns({ runsDir, path, items, format: format as ImportFormat | undefined, judgeName: flags.strings['judge-name'], onWarning: (m) => ctx.stderr(`warning: ${m}\n`) });
	} catch (e) {
		if (e instanceof ImportError || e instanceof RunSetupError || e instanceof RunLockedError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	}
	if (flags.bools.has('json')) {
		ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
		return result.problems.length > 0 ? 1 : 0;
	}
	const lines = [
		`imported ${result.file} (${result.format}, sha256 ${result.sha256.slice(0, 16)}…): ${result.imported} of ${result.records} record(s)`,
		...(result.runs.length > 0 && result.runs.every((r) => r.written === 0) ? [`  imported before${result.imported_as !== basename(result.file) ? ` (as ${result.imported_as})` : ''}: nothing written`] : []),
		...result.runs.map((r) => `  ${r.kind === 'generation' ? 'generation' : 'judge     '} run ${r.run_id}  ${r.who}  ${r.task}  ${r.rows} row(s)${r.written === 0 ? ' (already imported)' : ''}`)
	];
	if (result.problems.length > 0) {
		lines.push(`${result.problems.length} problem(s):`, ...result.problems.slice(0, LISTED).map((p) => `  ${problemText(p)}`));
		if (result.problems.length > LISTED) lines.push(`  … and ${result.problems.length - LISTED} more (--json lists them all)`);
	}
	ctx.stdout(`${lines.join('\n')}\n`);
	return result.problems.length > 0 ? 1 : 0;
}

async function runLabelledImport(ctx: CliContext, path: string, name: string, json: boolean): Promise<number> {
	let out;
	try {
		out = await importLabelledSet({ dataDir: runFolders(ctx).dataDir, path, name });
	} catch (e) {
		if (e instanceof ImportError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	}
	const m = out.meta;
	if (json) {
		ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
		return m.problems.length > 0 ? 1 : 0;
	}
	const unsupported = Object.entries(m.unsupported).map(([lang, n]) => `${lang} ${n}`).join(', ');
	const lines = [
		`labelled set ${m.name}${out.written ? '' : ' (already imported from this file)'}: ${m.items} of ${m.records} program(s) from ${m.file} (sha256 ${m.sha256.slice(0, 16)}…)`,
		`  vulnerable ${m.vulnerable}, secure ${m.secure}, pairs ${m.pairs}${unsupported ? `; unsupported language(s), not judged: ${unsupported}` : ''}`,
		`  judge it: covw judge --items ${m.name} --judge rules`
	];
	const listed = m.problems.filter((p) => p.field !== 'language');
	if (listed.length > 0) {
		lines.push(`${listed.length} problem(s):`, ...listed.slice(0, LISTED).map((p) => `  ${problemText(p)}`));
		if (listed.length > LISTED) lines.push(`  … and ${listed.length - LISTED} more (--json lists them all)`);
	}
	ctx.stdout(`${lines.join('\n')}\n`);
	return listed.length > 0 ? 1 : 0;
}

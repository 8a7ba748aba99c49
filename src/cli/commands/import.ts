// `covw import <file>`: runs made elsewhere come in as runs of this workbench — the released
// CoV-Eval results, promptfoo's results.json, an Inspect AI JSON log, or a plain JSONL/CSV of
// item_id, model, response (sample, vulnerable, judge optional). Answers are matched to the
// benchmark items (the items table, as for covw run); verdicts the file carries become judge
// runs of the judge that gave them. Records that do not come in are listed with file, line and
// field; the others still come in. Importing the same file again writes nothing new.
import { ImportError, importRuns, type ImportResult } from '../../lib/runs/import/import-runs.ts';
import { IMPORT_FORMATS, problemText, type ImportFormat } from '../../lib/runs/import/types.ts';
import { importLabelledSet, type LabelledSetMeta } from '../../lib/runs/import/labelled-set.ts';
import { FORMAT_SPECS, isLabelledFormat, LABELLED_FORMATS } from '../../lib/runs/import/labelled-formats.ts';
import { labelledCountLines } from '../../lib/runs/import/labelled-counts.ts';
import { RunSetupError } from '../../lib/engine/run-units.ts';
import { RunLockedError } from '../../lib/engine/run-lock.ts';
import { CliError, type CliContext, type Command } from '../command.ts';
import { shellCommand } from '../shell-quote.ts';
import { loadItems, parseFlags, runFolders } from './run-setup.ts';
import { basename, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { userNamedInput } from '../../lib/engine/atomic-file.ts';
import { binaryInputProblem, readStandardInput, StandardInputError, standardInputName } from '../../lib/node/standard-input.ts';
import { printable, printableJson, printableLines } from '../../lib/core/text/printable.ts';

const NAME = 'import';

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	return line ? [...lines, line] : lines;
}
const LISTED = 50;

export const importCommand: Command = {
	words: ['import'],
	summary: 'import runs made elsewhere (released CoV-Eval results, promptfoo, Inspect AI, JSONL/CSV)',
	usage: [
		'Usage: covw import <file> [--items-file items.arrow] [--format <format>] [--judge-name <name>] [--json]',
		'       covw import --labelled <name> <file.jsonl|.csv|.json> [--format <format>] [--language c|python]',
		'',
		'--labelled <name>  a labelled set of programs as item set <name>, stored in the data folder;',
		'              then `covw judge --items <name> --judge …` and `covw runs show` report',
		'              consistency, TPR, TNR, kappa, Diff and pair accuracy. The file is your own',
		'              (id, code, language, cwe, label vulnerable|secure, optional pair_id) or a public',
		'              labelled dataset, recognised by its fields (--format names one):',
		...LABELLED_FORMATS.flatMap((f) => wrap(`${FORMAT_SPECS[f].title}: ${FORMAT_SPECS[f].mapping}.`, 66).map((l, i) => `                ${i === 0 ? f.padEnd(10) : ' '.repeat(10)} ${l}`)),
		'              A before/after pair becomes two programs sharing a pair id. Of a CWE list the',
		'              first of the benchmark\'s 18 is kept (else the first); NVD-CWE-Other/noinfo or no',
		'              CWE is a problem, never a guess. --language gives the language of records with',
		'              neither a language field nor a file name extension. Languages other than C and',
		'              Python (C++ too) are counted as unsupported; empty, oversized and duplicated',
		'              programs are counted and listed. Large files are streamed. An existing set is',
		'              never overwritten.',
		'',
		'<file>        `-` reads it from standard input (`zcat x.jsonl.gz | covw import -`), with --labelled too;',
		'              one of:',
		'              - a released CoV-Eval results file (results/<task>/<model>.json upstream): a',
		'                generation run of <model>; GPT-4o\'s answers (meta_data.judge_by_gpt4, read',
		'                strictly: a cut-off answer is unparsed) a judge run of openai/gpt-4o, and',
		'                vul_eval (the upstream harness\'s reading) one of "openai/gpt-4o · harness reading";',
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
	const flags = parseFlags(NAME, ctx.args, { 'items-file': 'string', 'judge-name': 'string', format: 'string', labelled: 'string', language: 'string', json: 'bool' });
	if (flags.positional.length !== 1) throw new CliError(`${NAME}: expected one file\n\n${importCommand.usage}`);
	// `-`: standard input, read whole here (the limit every file has); its bytes go by the name "stdin".
	const fromStdin = flags.positional[0] === '-';
	let content: Uint8Array | undefined;
	let path: string;
	if (fromStdin) {
		if (!ctx.stdin && process.stdin.isTTY) throw new CliError(`${NAME}: -: standard input is a terminal; pipe the file in (\`… | covw import -\`) or name it`);
		try {
			content = await (ctx.stdin?.() ?? readStandardInput());
		} catch (e) {
			if (e instanceof StandardInputError) throw new CliError(`${NAME}: ${e.message}`);
			throw e;
		}
		if (content.length === 0) throw new CliError(`${NAME}: -: standard input was empty`);
		const binary = binaryInputProblem(content);
		if (binary !== null) throw new CliError(`${NAME}: -: ${binary}`);
		path = standardInputName(content);
	} else {
		path = resolve(ctx.cwd, flags.positional[0]);
		if (!existsSync(path)) throw new CliError(`${NAME}: ${path}: no such file`);
		if (statSync(path).isDirectory()) throw new CliError(`${NAME}: ${path}: is a directory; give a file`);
	}
	if (flags.strings.labelled !== undefined) {
		const format = flags.strings.format;
		if (format !== undefined && !isLabelledFormat(format)) throw new CliError(`${NAME}: with --labelled, --format must be one of ${LABELLED_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
		return runLabelledImport(ctx, path, flags.strings.labelled, { format, language: flags.strings.language, content }, flags.bools.has('json'));
	}
	if (flags.strings.language !== undefined) throw new CliError(`${NAME}: --language goes with --labelled`);
	const format = flags.strings.format;
	if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`${NAME}: --format must be one of ${IMPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
	const { items } = await loadItems(NAME, ctx, flags);
	const { runsDir } = runFolders(ctx);
	// The user named this file: it may be a pipe (`covw import <(zcat x.jsonl.gz)`), read as a stream.
	if (!fromStdin) userNamedInput(path);
	let result: ImportResult;
	try {
		result = await importRuns({ runsDir, path, content, items, format: format as ImportFormat | undefined, judgeName: flags.strings['judge-name'], onWarning: (m) => ctx.stderr(`warning: ${printable(m)}\n`) });
	} catch (e) {
		if (e instanceof ImportError || e instanceof RunSetupError || e instanceof RunLockedError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	}
	if (flags.bools.has('json')) {
		ctx.stdout(`${printableJson(JSON.stringify(result, null, 2))}\n`);
		return result.problems.length > 0 ? 1 : 0;
	}
	const lines = [
		`imported ${printable(result.file)} (${result.format}, sha256 ${result.sha256.slice(0, 16)}…): ${result.imported} of ${result.records} record(s)`,
		...(result.runs.length > 0 && result.runs.every((r) => r.written === 0) ? [`  imported before${result.imported_as !== basename(result.file) ? ` (as ${printable(result.imported_as)})` : ''}: nothing written`] : []),
		...result.runs.map((r) => `  ${r.kind === 'generation' ? 'generation' : 'judge     '} run ${r.run_id}  ${printable(r.who)}  ${printable(r.task)}  ${r.rows} row(s)${r.written === 0 ? ' (already imported)' : ''}`)
	];
	if (result.problems.length > 0) {
		lines.push(`${result.problems.length} problem(s):`, ...result.problems.slice(0, LISTED).map((p) => `  ${problemText(p)}`));
		if (result.problems.length > LISTED) lines.push(`  … and ${result.problems.length - LISTED} more (--json lists them all)`);
	}
	ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
	return result.problems.length > 0 ? 1 : 0;
}

async function runLabelledImport(ctx: CliContext, path: string, name: string, options: { format?: (typeof LABELLED_FORMATS)[number]; language?: string; content?: Uint8Array }, json: boolean): Promise<number> {
	let out;
	try {
		out = await importLabelledSet({ dataDir: runFolders(ctx).dataDir, path, name, ...options });
	} catch (e) {
		if (e instanceof ImportError) throw new CliError(`${NAME}: ${e.message}`);
		throw e;
	}
	const m = out.meta;
	const listed = m.problems.filter((p) => !(p.field === 'language' && /no judge reads/.test(p.message)));
	// problems other than the unsupported-language notes (those are counted, not listed)
	const unsupportedTotal = Object.values(m.unsupported ?? {}).reduce((a, b) => a + b, 0);
	const problemsTotal = (m.problems_total ?? m.problems.length) - unsupportedTotal;
	if (json) {
		ctx.stdout(`${printableJson(JSON.stringify(out, null, 2))}\n`);
		return problemsTotal > 0 ? 1 : 0;
	}
	const lines = [
		`labelled set ${printable(m.name)}${out.written ? '' : ' (already imported from this file)'}: ${m.items} of ${m.programs ?? m.records} program(s) from ${printable(m.file)} (${m.format ?? 'covw'}${m.format_given ? ', as given' : ', detected'}; sha256 ${m.sha256.slice(0, 16)}…)`,
		`  vulnerable ${m.vulnerable}, secure ${m.secure}, pairs ${m.pairs}${unsupportedTotal ? `; unsupported language(s), not judged: ${Object.entries(m.unsupported).map(([lang, n]) => `${lang} ${n}`).join(', ')}` : ''}`,
		`  judge it: ${shellCommand(['covw', 'judge', '--items', m.name, '--judge', 'rules'])}`
	];
	if (problemsTotal > 0) {
		lines.push(`${problemsTotal} problem(s):`, ...listed.slice(0, LISTED).map((p) => `  ${problemText(p)}`));
		if (problemsTotal > Math.min(LISTED, listed.length)) lines.push(`  … and ${problemsTotal - Math.min(LISTED, listed.length)} more (--json lists ${m.problems.length < (m.problems_total ?? 0) ? `the first ${m.problems.length}` : 'them all'}; per field: ${Object.entries(m.problem_counts ?? {}).map(([f, n]) => `${f} ${n}`).join(', ')})`);
	}
	if (m.notes_total) {
		lines.push(`${m.notes_total} note(s) on programs that came in:`, ...(m.notes ?? []).slice(0, 10).map((p) => `  ${problemText(p)}`));
		if (m.notes_total > Math.min(10, m.notes?.length ?? 0)) lines.push(`  … and ${m.notes_total - Math.min(10, m.notes?.length ?? 0)} more (--json lists ${(m.notes?.length ?? 0) < m.notes_total ? `the first ${m.notes?.length ?? 0}` : 'them all'})`);
	}
	lines.push(...countLines(m));
	ctx.stdout(`${printableLines(lines.join('\n'))}\n`);
	return problemsTotal > 0 ? 1 : 0;
}

/** The counts that add up (labelled-counts.ts: the workbench's import panel shows the same lines). */
const countLines = (m: LabelledSetMeta): string[] => labelledCountLines(m);

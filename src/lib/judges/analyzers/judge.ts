// Static analyzers as judges: "does this code have the target CWE?", answered by a tool that
// reads the code as text in a fresh temporary folder. The code is never executed.
// A missing tool, a timeout, a crash or output we cannot read is status 'error', never a verdict;
// so is code the screen refuses (core/judges/rules/screen.ts: no program, not source text, another
// language handed in), before the tool runs.
// Many programs go to one tool process (fast); when that batch fails as a whole (a timeout, a
// crash, unreadable output), each of its programs is analysed again alone under its own
// deadline, so one slow or poisonous program costs one error row, not a hundred.
// A large batch is cut into pieces that run side by side, at most `parallel` tool processes at
// a time (default 2: this machine has 2 cores).

import { tryNormalizeCweId, type CweId } from '../../core/cwe.ts';
import { screenProgram } from '../../core/judges/rules/screen.ts';
import { isLanguage, LANGUAGES } from '../../core/vocabulary.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commandOf, executableVersion, notInstalledMessage, which } from './locate-tool.ts';
import { dedent } from './dedent.ts';
import { analyzerTool } from './registry.ts';
import { runProcess } from './run-process.ts';
import { withTempFolder } from './temp-folder.ts';
import { planCFiles, REPAIR_ROUNDS, type CFiles } from './tools/c-prepare.ts';
import { confineDirectives } from './tools/c-directives.ts';
import { fileKey } from './tools/file-key.ts';
import { clangTwoStep } from './tools/clang-cc1.ts';
import { TAINT_CONFIG_FILE } from './tools/c-taint.ts';
import { GCC_DIALECT } from './tools/gcc-analyzer.ts';
import { gccPreludePch } from './tools/gcc-prelude-pch.ts';
import type { AnalyzerFinding, AnalyzerInput, AnalyzerName, AnalyzerOptions, AnalyzerTool, AnalyzerVerdict, ParsedOutput, TwoStepCommands } from './types.ts';

/** Default deadline for one program. */
export const FILE_TIMEOUT_MS = 60_000;

/** Default deadline of a batch: one program's, plus a little per program. */
export function defaultTimeoutMs(files: number, perFile: number = FILE_TIMEOUT_MS): number {
	return perFile + 500 * files;
}

/**
 * C tools that can run over many files in one process when asked the two-step way: the files
 * are first only syntax-checked (their declarations repaired from those errors), then the files
 * that compiled are analysed in one run. Null from the function: this installation cannot; the
 * tool's own `args` are used. (Kept here, not in the tool's entry: tools/ is read by the browser.)
 */
/** C tools whose prelude headers can be read precompiled (once per process): the arguments that
 * replace the tool's own `-include`s, or null when they cannot. */
const PRECOMPILED_PRELUDE: Partial<Record<AnalyzerName, (executable: string, searchPath: string) => Promise<string[] | null>>> = {
	gcc: (gcc, searchPath) => gccPreludePch(gcc, GCC_DIALECT, searchPath)
};

const TWO_STEP: Partial<Record<AnalyzerName, (executable: string, folder: string, env: Record<string, string>, profile?: string) => Promise<TwoStepCommands | null>>> = {
	clang: clangTwoStep,
	'clang-taint': (clang, folder, env, profile) => clangTwoStep(clang, folder, env, profile, TAINT_CONFIG_FILE)
};

/** Tool processes at a time (this machine has 2 cores). */
export const ANALYZER_PROCESSES = 2;
/** A batch is cut into pieces of at least this many programs (a process start costs) … */
const MIN_PIECE = 8;
/** … and at most this many unless the tool says otherwise (AnalyzerTool.pieceSize): a few slow
 * programs hold up only their own piece while the other process takes the next ones. */
const MAX_PIECE = 25;

/** How many pieces a batch of `n` programs is cut into for `parallel` processes. */
export function pieceCount(n: number, parallel: number, maxPiece: number = MAX_PIECE): number {
	return Math.max(1, Math.min(Math.floor(n / MIN_PIECE), Math.max(parallel, Math.ceil(n / maxPiece))));
}

export async function judgeWithAnalyzer(tool: AnalyzerName, input: AnalyzerInput, opts?: AnalyzerOptions): Promise<AnalyzerVerdict> {
	return (await judgeBatchWithAnalyzer(tool, [input], opts))[0];
}

/**
 * Runs the tool ONCE over all inputs of its language (one file each in one temporary folder)
 * and splits the findings per file. Verdicts come back in input order. Inputs in another
 * language get status 'error'. Throws only for caller bugs: an unknown tool, target CWE or language.
 */
export async function judgeBatchWithAnalyzer(toolName: AnalyzerName, inputs: readonly AnalyzerInput[], opts: AnalyzerOptions = {}): Promise<AnalyzerVerdict[]> {
	const tool = analyzerTool(toolName);
	const targets = inputs.map((input, index) => checkInput(input, index));
	// C: directives that read outside the folder, move findings or switch checks off are blanked;
	// one the blanker could not place safely refuses the program (c-directives.ts)
	const confined = inputs.map((input) => (tool.language === 'c' && input.language === 'c' && typeof input.code === 'string' ? confineDirectives(input.code) : null));
	const verdicts: (AnalyzerVerdict | undefined)[] = inputs.map((input, index) => {
		const cwe = targets[index];
		if (input.language !== tool.language) return { status: 'error', tool: tool.name, cwe, error: `${tool.name} reads ${tool.language} code, not ${input.language}` };
		// none of its findings could count toward the target: not analysed (a judge run gives no row)
		if (tool.cwes && !tool.cwes.includes(cwe)) return { status: 'error', tool: tool.name, cwe, error: notApplicable(tool, cwe) };
		// what no offline judge judges (no program, not source, another language): the tool never runs on it
		const unjudgeable = screenProgram(input.code, tool.language);
		if (unjudgeable) return { status: 'error', tool: tool.name, cwe, error: `${tool.name}: cannot judge this code: ${unjudgeable}` };
		const refused = confined[index]?.refused;
		if (refused) return { status: 'error', tool: tool.name, cwe, error: `${tool.name}: cannot judge this code: a preprocessor directive that reads a file outside the program, moves its findings or switches checks off is still there after blanking (${refused}); not analysed` };
		return undefined;
	});
	const mine = inputs.flatMap((_, index) => (verdicts[index] ? [] : [index]));
	if (mine.length === 0) return verdicts as AnalyzerVerdict[];

	const files = mine.map((index) => `item-${index}${tool.extension}`);
	// Code cut out of a Python file keeps its indentation; the parsers want a module.
	// C: the code with its refused directives blanked (above).
	const codes = mine.map((index) => (tool.language === 'python' ? dedent(inputs[index].code) : (confined[index]?.text ?? inputs[index].code)));
	const perFile = opts.timeoutMs ?? FILE_TIMEOUT_MS;
	const parallel = Math.max(1, Math.floor(opts.parallel ?? ANALYZER_PROCESSES));
	const slot = limiter(parallel);
	// one group per profile (the checks the target CWEs need), each cut into pieces
	// the tool's version (a profile may depend on it): the caller's, else asked once per executable
	const executable = tool.profileFor && !opts.version ? which(opts.command ?? commandOf(tool), opts.path ?? process.env.PATH ?? '') : null;
	const version = opts.version ?? (executable ? await executableVersion(executable) : undefined);
	const profiles = mine.map((index) => tool.profileFor?.(targets[index], version));
	const run = (ks: number[], timeoutMs: number) => slot(() => analyse(tool, ks.map((k) => codes[k]), ks.map((k) => files[k]), opts, timeoutMs, profiles[ks[0]]));
	const results: (ParsedOutput | { error: string })[] = new Array(files.length);
	const groups = new Map<string | undefined, number[]>();
	profiles.forEach((profile, k) => (groups.get(profile) ?? groups.set(profile, []).get(profile)!).push(k));
	const pieces = [...groups.values()].flatMap((group) => cut(group.length, pieceCount(group.length, parallel, tool.pieceSize)).map((piece) => piece.map((i) => group[i])));
	await Promise.all(
		pieces.map(async (piece) => {
			const outcome = await run(piece, opts.batchTimeoutMs ?? defaultTimeoutMs(piece.length, perFile));
			if (!('error' in outcome) || piece.length === 1 || outcome.missing) {
				for (const k of piece) results[k] = outcome;
				return;
			}
			// The piece failed as a whole: each program alone, under its own deadline.
			await Promise.all(piece.map(async (k) => (results[k] = await run([k], perFile))));
		})
	);
	mine.forEach((index, k) => {
		const cwe = targets[index];
		const result = results[k];
		if ('error' in result) {
			verdicts[index] = { status: 'error', tool: tool.name, cwe, error: result.error };
			return;
		}
		const fileError = result.fileErrors.get(files[k]);
		if (fileError) {
			verdicts[index] = { status: 'error', tool: tool.name, cwe, error: fileError };
			return;
		}
		const findings: AnalyzerFinding[] = result.findings.get(files[k]) ?? [];
		verdicts[index] = { status: 'ok', tool: tool.name, cwe, vulnerable: findings.some((f) => f.cwes.includes(cwe)), findings };
	});
	return verdicts as AnalyzerVerdict[];
}

/** Why a target of `cwe` is not analysed by `tool` (AnalyzerTool.cwes). */
export function notApplicable(tool: AnalyzerTool, cwe: CweId): string {
	return `${tool.name} cannot report ${cwe} (none of its checks maps to it), so it does not judge it: not analysed`;
}

/** One run of the tool over `files` (already written in `folder`), its output read. */
async function runTool(
	tool: AnalyzerTool,
	executable: string,
	files: string[],
	folder: string,
	timeoutMs: number,
	env: Record<string, string>,
	args: string[],
	memoryLimitMb: number | undefined
): Promise<{ parsed: ParsedOutput; stdout: string; stderr: string } | { error: string }> {
	if (timeoutMs <= 0) return { error: `${tool.name} failed: no time left of the batch's deadline` };
	const result = await runProcess(executable, args, { cwd: folder, timeoutMs, env, memoryLimitMb });
	if (result.status === 'error') return { error: `${tool.name} failed: ${result.error}` };
	const tail = (text: string) => text.trim().slice(-500);
	if (!tool.okExitCodes.includes(result.exitCode)) {
		return { error: `${tool.name} exited with code ${result.exitCode}: ${tail(result.stderr) || tail(result.stdout)}` };
	}
	try {
		return { parsed: tool.parse(result.stdout, result.stderr, files), stdout: result.stdout, stderr: result.stderr };
	} catch (error) {
		return { error: `could not read ${tool.name}'s output: ${(error as Error).message}; stderr: ${tail(result.stderr)}` };
	}
}

/**
 * A small, fixed environment: no API keys or user settings leak into the tool, HOME is the
 * scratch folder (no per-user config is read) and Python-based tools read the files as UTF-8.
 */
function toolEnvironment(searchPath: string, folder: string): Record<string, string> {
	return { PATH: searchPath, HOME: folder, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PYTHONUTF8: '1', PYTHONDONTWRITEBYTECODE: '1' };
}

function checkInput(input: AnalyzerInput, index: number): CweId {
	const where = `analyzer input ${index}`;
	if (!input || typeof input !== 'object') throw new Error(`${where}: not an object`);
	if (typeof input.code !== 'string') throw new Error(`${where}: field "code" must be a string`);
	if (!isLanguage(input.language)) throw new Error(`${where}: field "language" must be one of ${LANGUAGES.map((l) => `"${l}"`).join(', ')}, got ${JSON.stringify(input.language)}`);
	const cwe = tryNormalizeCweId(String(input.cwe));
	if (!cwe) throw new Error(`${where}: field "cwe": ${JSON.stringify(input.cwe)} is not one of the 18 CoV-Eval CWEs`);
	return cwe;
}

/** Runs the jobs given to it at most `limit` at a time, in the order they were given. */
function limiter(limit: number): <R>(job: () => Promise<R>) => Promise<R> {
	let running = 0;
	const waiting: (() => void)[] = [];
	return async (job) => {
		if (running >= limit) await new Promise<void>((go) => waiting.push(go));
		else running++;
		try {
			return await job();
		} finally {
			const next = waiting.shift();
			if (next) next(); // the slot passes on
			else running--;
		}
	};
}

/** 0..n-1 cut into `count` consecutive pieces of (almost) equal size. */
function cut(n: number, count: number): number[][] {
	const out: number[][] = [];
	for (let p = 0, from = 0; p < count; p++) {
		const to = Math.round(((p + 1) * n) / count);
		out.push(Array.from({ length: to - from }, (_, i) => from + i));
		from = to;
	}
	return out.filter((piece) => piece.length > 0);
}

async function analyse(
	tool: AnalyzerTool,
	codes: string[],
	files: string[],
	opts: AnalyzerOptions,
	timeoutMs: number,
	profile: string | undefined
): Promise<ParsedOutput | { error: string; missing?: true }> {
	const command = opts.command ?? commandOf(tool);
	const searchPath = opts.path ?? process.env.PATH ?? '';
	const executable = which(command, searchPath);
	if (!executable) return { error: notInstalledMessage(tool, command), missing: true };
	return withTempFolder(async (folder) => {
		const deadline = Date.now() + timeoutMs;
		const env = toolEnvironment(searchPath, folder);
		const c = tool.declarations === 'c' ? await planCFiles(codes, files, searchPath, { taint: tool.taintParameters?.(profile) ?? false }) : null;
		const textOf = (k: number) => (c ? c.text(k) : tool.prepare ? tool.prepare(codes[k]) : codes[k]);
		await Promise.all(codes.map((_, k) => writeFile(join(folder, files[k]), textOf(k), { encoding: 'utf8', flag: 'wx' })));
		// written again before each run: the repairs may declare more functions
		const writeSupport = async () => {
			await Promise.all(Object.entries(tool.supportFiles?.(c?.unknownFunctions() ?? []) ?? {}).map(([name, text]) => writeFile(join(folder, name), text, 'utf8')));
		};
		await writeSupport();
		const twoStepOf = TWO_STEP[tool.name];
		const twoStep = c && twoStepOf ? await twoStepOf(executable, folder, env, profile) : null;
		if (c && twoStep) return checkThenAnalyse(tool, twoStep, c, textOf, files, folder, deadline, env, writeSupport, opts.memoryLimitMb);
		const prelude = (await PRECOMPILED_PRELUDE[tool.name]?.(executable, searchPath)) ?? undefined;
		const first = await runTool(tool, executable, files, folder, timeoutMs, env, tool.args(files, profile, prelude), opts.memoryLimitMb);
		if ('error' in first) return first;
		const merged = first.parsed;
		// Lone C functions the tool could not compile: declarations corrected from its own errors, run again.
		let pending = c && tool.compileErrors ? files.flatMap((f, k) => (merged.fileErrors.has(f) && c.repair(k, tool.compileErrors!(first.stdout, first.stderr, f)) ? [k] : [])) : [];
		for (let round = 1; round <= REPAIR_ROUNDS && pending.length > 0 && deadline > Date.now(); round++) {
			await Promise.all(pending.map((k) => writeFile(join(folder, files[k]), textOf(k), 'utf8')));
			await writeSupport();
			const names = pending.map((k) => files[k]);
			const again = await runTool(tool, executable, names, folder, deadline - Date.now(), env, tool.args(names, profile, prelude), opts.memoryLimitMb);
			if ('error' in again) break; // the earlier compile errors stand for these programs
			const next: number[] = [];
			for (const k of pending) {
				const f = files[k];
				merged.findings.set(f, again.parsed.findings.get(f) ?? []);
				const error = again.parsed.fileErrors.get(f);
				if (!error) merged.fileErrors.delete(f);
				else {
					merged.fileErrors.set(f, error);
					if (round < REPAIR_ROUNDS && c!.repair(k, tool.compileErrors!(again.stdout, again.stderr, f))) next.push(k);
				}
			}
			pending = next;
		}
		return merged;
	}, opts.tempRoot);
}

/**
 * The two-step way (TWO_STEP): syntax checks, the files that did not compile
 * repaired from their errors and checked again (at most REPAIR_ROUNDS times), then one analysis
 * of the files that compiled. The others keep their compiler error as their file error.
 */
async function checkThenAnalyse(
	tool: AnalyzerTool,
	steps: TwoStepCommands,
	c: CFiles,
	textOf: (k: number) => string,
	files: string[],
	folder: string,
	deadline: number,
	env: Record<string, string>,
	writeSupport: () => Promise<void>,
	memoryLimitMb: number | undefined
): Promise<ParsedOutput | { error: string }> {
	const compileErrors = new Map<string, string>();
	let pending = files.map((_, k) => k);
	for (let round = 0; round <= REPAIR_ROUNDS && pending.length > 0; round++) {
		if (round > 0) await Promise.all(pending.map((k) => writeFile(join(folder, files[k]), textOf(k), 'utf8')));
		const next: number[] = [];
		// one process reports nothing after a fatal error: checked again from the file after it
		for (let rest = pending; rest.length > 0; ) {
			const names = rest.map((k) => files[k]);
			const checked = await runTool(tool, steps.executable, names, folder, deadline - Date.now(), env, steps.check(names), memoryLimitMb);
			if ('error' in checked) {
				if (round === 0) return checked;
				rest = []; // the earlier compile errors stand for these programs
				break;
			}
			const fatal = fatalFile(checked.stderr, names);
			if (fatal === null && /\bfatal error:/.test(checked.stderr)) return { error: `${tool.name} stopped at a fatal error it did not place in a file: ${checked.stderr.trim().slice(-300)}` };
			const done = fatal === null ? rest : rest.slice(0, fatal + 1);
			for (const k of done) {
				const error = checked.parsed.fileErrors.get(files[k]);
				if (!error) compileErrors.delete(files[k]);
				else {
					compileErrors.set(files[k], error);
					if (round < REPAIR_ROUNDS && tool.compileErrors && c.repair(k, tool.compileErrors(checked.stdout, checked.stderr, files[k]))) next.push(k);
				}
			}
			rest = rest.slice(done.length);
		}
		pending = next;
	}
	const compiled = files.filter((f) => !compileErrors.has(f));
	const parsed: ParsedOutput = { findings: new Map(files.map((f) => [f, []])), fileErrors: new Map(compileErrors) };
	if (compiled.length === 0) return parsed;
	await writeSupport();
	const analysed = await runTool(tool, steps.executable, compiled, folder, deadline - Date.now(), env, steps.analyse(compiled), memoryLimitMb);
	if ('error' in analysed) return analysed;
	// every file compiled in the check: an error now means the process analysed none after it
	const unexpected = [...analysed.parsed.fileErrors];
	if (unexpected.length > 0) return { error: `${tool.name} could not compile ${unexpected[0][0]} in the analysis run although it did in the check: ${unexpected[0][1]}` };
	for (const f of compiled) parsed.findings.set(f, analysed.parsed.findings.get(f) ?? []);
	return parsed;
}

/** The position in `names` of the file a `file:line:col: fatal error:` line names, or null. */
function fatalFile(stderr: string, names: readonly string[]): number | null {
	const m = /^(.*?):\d+:(?:\d+:)? fatal error:/m.exec(stderr);
	if (!m) return null;
	const at = names.indexOf(fileKey(m[1]));
	return at >= 0 ? at : null;
}

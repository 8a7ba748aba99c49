// Clang's own compiler process (`clang -cc1`) with every file of a batch at once. The `clang`
// command starts a new compiler process for each file it is given (~35 ms of CPU each here,
// most of the time on a lone function); `clang -cc1` reads all of them in one process
// (measured on 100 SVEN functions: 1.2 s of CPU instead of 4.6 s for the syntax check). The
// command lines are asked from the installed clang itself (`clang -### ...`, once per process),
// so they are the ones `clang` would run, minus the input and output file names.
//
// One process keeps one error count for all its files: after an error in one file clang
// analyses none of the later ones, and after a fatal error (a missing #include) it prints
// nothing more at all. So the syntax check runs without an error limit and is run again from
// the file after a fatal error, and the analysis is given only files that compiled.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runProcess } from '../run-process.ts';
import type { TwoStepCommands } from '../types.ts';
import { clangAnalysis, CLANG_DIALECT, CLANG_SYNTAX } from './clang-analyzer.ts';
import { C_PRELUDE_HEADERS } from './gcc-analyzer.ts';

export interface Cc1Commands {
	/** `clang -cc1`'s executable (the one `clang` runs). */
	executable: string;
	/** Arguments of the syntax check, without the file names (no error limit). */
	check: string[];
	/** Arguments of the analysis, without the file names. */
	analyse: string[];
}

const cache = new Map<string, Promise<Cc1Commands | null>>();

/**
 * The cc1 command lines for `clang <checkArgs> x.c` and `clang <analyseArgs> x.c`, or null when
 * this clang does not print them as expected (the caller then runs `clang` itself).
 */
export function cc1Commands(clang: string, checkArgs: readonly string[], analyseArgs: readonly string[], cwd: string, env: Record<string, string>): Promise<Cc1Commands | null> {
	const key = JSON.stringify([clang, checkArgs, analyseArgs]);
	let found = cache.get(key);
	if (!found) {
		found = (async () => {
			// one after the other: both use the same placeholder file
			const check = await cc1Of(clang, [...checkArgs, '-ferror-limit=0'], cwd, env);
			const analyse = check && (await cc1Of(clang, analyseArgs, cwd, env));
			if (!check || !analyse || check.executable !== analyse.executable) return null;
			return { executable: check.executable, check: check.args, analyse: analyse.args };
		})();
		cache.set(key, found);
	}
	return found;
}

/** The placeholder input file name the command lines are asked for. */
const PLACEHOLDER = 'covw-cc1-placeholder.c';

async function cc1Of(clang: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ executable: string; args: string[] } | null> {
	// clang wants the input to exist even to print the command line: an empty file, then gone
	const placeholder = join(cwd, PLACEHOLDER);
	await writeFile(placeholder, '', { flag: 'w' });
	const result = await runProcess(clang, ['-###', ...args, PLACEHOLDER], { cwd, timeoutMs: 30_000, env }).finally(() => rm(placeholder, { force: true }));
	if (result.status !== 'ok' || result.exitCode !== 0) return null;
	const lines = result.stderr.split('\n').filter((l) => /^\s*"[^"]*" "-cc1"/.test(l));
	if (lines.length !== 1) return null;
	const words = splitQuoted(lines[0].trim());
	if (!words) return null;
	return cc1Arguments(words);
}

/**
 * A `-###` line's words as a cc1 command line for many files: the input (the placeholder), its
 * output (`-o`), name (`-main-file-name`) and the folder it was asked in left out, and
 * `-disable-free` too (with it the process would keep every file's syntax tree in memory). Null
 * when the line is not as expected.
 */
export function cc1Arguments(words: readonly string[]): { executable: string; args: string[] } | null {
	if (words[1] !== '-cc1' || !words.includes(PLACEHOLDER)) return null;
	const args: string[] = [];
	for (let i = 1; i < words.length; i++) {
		const w = words[i];
		if (w === '-o' || w === '-main-file-name') i++;
		else if (w === PLACEHOLDER || w === '-disable-free' || /^-f(debug|coverage)-compilation-dir=/.test(w)) continue;
		else args.push(w);
	}
	// the language of the input was given right before it (`-x c`): it applies to every file
	return { executable: words[0], args };
}

/** `"a" "b c" "d\"e"` → ['a', 'b c', 'd"e'] (how `clang -###` quotes), null when malformed. */
export function splitQuoted(line: string): string[] | null {
	const words: string[] = [];
	const re = /\s*"((?:[^"\\]|\\.)*)"/y;
	let m: RegExpExecArray | null;
	while (re.lastIndex < line.length && (m = re.exec(line))) words.push(m[1].replace(/\\(.)/g, '$1'));
	return re.lastIndex === line.length || line.slice(re.lastIndex).trim() === '' ? words : null;
}

/** The prelude headers read once per process (a precompiled header of the C library's headers
 * only, never of the judged code, in a folder of its own removed when the process ends),
 * instead of once per file and step; made again when a temp cleaner removed it. */
const PRELUDE = 'covw-prelude.h';
const PRELUDE_PCH = 'covw-prelude.pch';
const precompiled = new Map<string, Promise<string | null>>();

/** The prelude as a precompiled header (its absolute path); null when clang could not make it.
 * Made again when it or its header is gone (clang would fail on every program until a restart). */
export async function clangPreludePch(clang: string, env: Record<string, string>): Promise<string | null> {
	const current = precompiled.get(clang);
	if (current) {
		const pch = await current;
		if (pch === null || (existsSync(pch) && existsSync(join(dirname(pch), PRELUDE)))) return pch;
		// another caller may have made it again meanwhile
		const newer = precompiled.get(clang);
		if (newer && newer !== current) return newer;
		rmSync(dirname(pch), { recursive: true, force: true });
	}
	const fresh = makePrelude(clang, env);
	precompiled.set(clang, fresh);
	return fresh;
}

async function makePrelude(clang: string, env: Record<string, string>): Promise<string | null> {
	const folder = mkdtempSync(join(tmpdir(), 'covw-clang-prelude-'));
	process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
	await writeFile(join(folder, PRELUDE), C_PRELUDE_HEADERS.map((h) => `#include <${h}>\n`).join(''), 'utf8');
	const made = await runProcess(clang, ['-x', 'c-header', ...CLANG_DIALECT, '-w', PRELUDE, '-o', PRELUDE_PCH], { cwd: folder, timeoutMs: 30_000, env: { ...env, HOME: folder } });
	if (made.status === 'ok' && made.exitCode === 0) return join(folder, PRELUDE_PCH);
	rmSync(folder, { recursive: true, force: true });
	return null;
}

/** The clang judge's two steps (judge.ts) in `folder`, or null: run `clang` itself then.
 * `taintConfig`: clang-taint's (clangAnalysis). */
export async function clangTwoStep(clang: string, folder: string, env: Record<string, string>, profile?: string, taintConfig?: string): Promise<TwoStepCommands | null> {
	const pch = await clangPreludePch(clang, env);
	const syntax = pch ? [...CLANG_DIALECT, '-include-pch', pch] : CLANG_SYNTAX;
	// `-w` as `--analyze` has it: the check reports what the analysis run would
	const cc1 = await cc1Commands(clang, ['-fsyntax-only', '-w', ...syntax], [...clangAnalysis(profile, taintConfig), ...syntax], folder, env);
	return cc1 && { executable: cc1.executable, check: (files) => [...cc1.check, ...files], analyse: (files) => [...cc1.analyse, ...files] };
}

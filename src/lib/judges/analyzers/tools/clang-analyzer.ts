// The Clang Static Analyzer (C): `clang --analyze`, path-sensitive (NULL dereference, use after
// free, double free, out-of-bounds access with the array-bound checkers). It reads the code and
// writes nothing but its report (text on stderr): never linked, never run. Missing headers and
// type names are handled as for gcc (gcc-analyzer.ts); a file that still does not compile
// is an error naming the first compiler error.

import { mapFinding } from '../cwe-map.ts';
import type { CweId } from '../../../core/cwe.ts';
import type { AnalyzerTool, ParsedOutput } from '../types.ts';
import { emptyParsed, fileKey } from './file-key.ts';
import { textCompilerErrors } from './c-repair.ts';
import { C_PRELUDE_HEADERS, C_TYPE_MACROS } from './gcc-analyzer.ts';

/** Checkers beyond clang's defaults (core, unix, deadcode, security.insecureAPI.*). */
const EXTRA_CHECKERS = ['alpha.security.ArrayBoundV2', 'alpha.unix.cstring.OutOfBounds', 'alpha.unix.cstring.BufferOverlap', 'alpha.security.ReturnPtrRange', 'security.insecureAPI.strcpy'];

const LINE = /^(.*?):(\d+):(\d+): (warning|error|fatal error): (.*?)(?: \[([\w.-]+)\])?$/;

/** unix.Malloc reports several bugs under one checker name: the message says which (so do the
 * taint checkers: a tainted index is told apart from an index merely out of range). */
function ruleOf(checker: string, message: string): string {
	if (checker === 'alpha.security.ArrayBoundV2' && /index is tainted/.test(message)) return `${checker}:tainted`;
	if (checker === 'alpha.security.taint.TaintPropagation') return /buffer size/i.test(message) ? `${checker}:buffer-size` : checker;
	if (checker !== 'unix.Malloc' && checker !== 'cplusplus.NewDelete') return checker;
	if (/after it is freed|released memory|freed memory/i.test(message)) return `${checker}:use-after-free`;
	if (/potential (memory )?leak/i.test(message)) return `${checker}:leak`;
	return checker;
}

/** Reads clang's text output; the findings are named `tool` (clang, clang-taint). */
export const parseClangAs = (tool: string) => (stdout: string, stderr: string, files: readonly string[]) => parseClang(stdout, stderr, files, tool);

function parseClang(_stdout: string, stderr: string, files: readonly string[], tool = 'clang'): ParsedOutput {
	const parsed = emptyParsed(files);
	for (const line of stderr.split('\n')) {
		const m = LINE.exec(line);
		if (!m) continue;
		const [, file, lineNo, , kind, message, checker] = m;
		const key = fileKey(file);
		const list = parsed.findings.get(key);
		if (!list) continue;
		if (kind !== 'warning') {
			if (!parsed.fileErrors.has(key)) parsed.fileErrors.set(key, `clang could not compile the code as given, so it analysed nothing (line ${lineNo}: ${message})`);
			continue;
		}
		if (!checker || checker.startsWith('-W')) continue; // a compiler warning, not the analyzer's
		const rule = ruleOf(checker, message);
		const cwes = mapFinding('clang', rule, null);
		list.push({ tool, rule, line: Number(lineNo), cwe: cwes[0] ?? null, cwes, tool_cwe: null, message });
	}
	for (const list of parsed.findings.values()) list.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
	return parsed;
}

/** How the code is read: the type macros, and no error for a bare `return;` in a function
 * whose return type was guessed (an error in clang by default) … */
export const CLANG_DIALECT = ['-std=gnu11', '-Wno-return-type', ...C_TYPE_MACROS.map((m) => `-D${m}`)];
/** … and the prelude headers before the code. */
export const CLANG_SYNTAX = [...CLANG_DIALECT, ...C_PRELUDE_HEADERS.flatMap((h) => ['-include', h])];

/** Targets the checkers added for bounds (EXTRA_CHECKERS) can count toward; for the others
 * (NULL, use after free) only clang's default checkers run. */
export const BOUNDS: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119'];
export const DEFAULT_CHECKERS_ONLY = 'default-checkers';

/** The analysis arguments for programs of `profile` (clangAnalyzer.profileFor): the checkers
 * added for bounds only where bounds are the target. `taintConfig` (clang-taint.ts): the taint
 * checker too, reading that configuration file (the parameters were handed to its source). */
export function clangAnalysis(profile?: string, taintConfig?: string): string[] {
	const taint = taintConfig && profile !== DEFAULT_CHECKERS_ONLY ? ['alpha.security.taint.TaintPropagation'] : [];
	return [
		'--analyze',
		'--analyzer-output', 'text',
		...(profile === DEFAULT_CHECKERS_ONLY ? [] : ['-Xanalyzer', `-analyzer-checker=${[...EXTRA_CHECKERS, ...taint].join(',')}`]),
		...(taint.length ? ['-Xanalyzer', '-analyzer-config', '-Xanalyzer', `alpha.security.taint.TaintPropagation:Config=${taintConfig}`] : []),
		// shallow: a smaller path budget per function. On 80 SVEN functions 9.5 s of CPU instead
		// of 23 s, with the same 42 warnings (lone functions call nothing it could inline anyway)
		'-Xanalyzer', '-analyzer-config', '-Xanalyzer', 'mode=shallow',
		// at most 40,000 path nodes per function (shallow: 75,000): the 51 SVEN dev functions that
		// took ≥ 0.3 s each, 35.2 → 18.9 s of CPU with the very same 124 warnings
		'-Xanalyzer', '-analyzer-config', '-Xanalyzer', 'max-nodes=40000'
	];
}

/** Every checker. */
export const CLANG_ANALYSIS = clangAnalysis();

/** What it can report at all: it prints no CWE, so only the checkers of cwe-map.ts's table
 * count (NULL, use after free, bounds, unchecked copies). */
const CLANG_CWES: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119', 'CWE-416', 'CWE-476'];

export const clangAnalyzer: AnalyzerTool = {
	name: 'clang',
	cwes: CLANG_CWES,
	language: 'c',
	extension: '.c',
	debianPackage: 'clang',
	okExitCodes: [0, 1],
	profileFor: (cwe) => (BOUNDS.includes(cwe) ? 'all-checkers' : DEFAULT_CHECKERS_ONLY),
	args: (files, profile) => [
		...clangAnalysis(profile),
		'-ferror-limit=20', // every error of a round, so the declarations are corrected at once
		...CLANG_SYNTAX,
		...files
	],
	// judge.ts runs it the two-step way when it can (tools/clang-cc1.ts: one process per piece)
	declarations: 'c',
	compileErrors: (_stdout, stderr, file) => textCompilerErrors(stderr, file),
	parse: parseClangAs('clang')
};

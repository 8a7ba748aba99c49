// GCC's static analyzer (C): `gcc -fanalyzer -S`, which follows paths through each function
// (use after free, double free, NULL dereference, ...). The code is compiled to assembly text in
// the temporary folder only: never linked, never run. Diagnostics come as JSON on stderr, one
// array per file; each analyzer warning carries its CWE (metadata.cwe).
//
// Missing headers and types: the common libc headers are included before the code, the usual
// fixed-width type names of kernels and libraries (u8, u32, __u64, ...) are defined as macros,
// and c-declarations.ts declares the unknown types, fields, functions and constants the code uses
// (checked and corrected with gcc's own errors, c-prepare.ts). A file
// that still does not compile gets no analysis at all from gcc, so its verdict is an error
// naming the first compiler error.

import { mapFinding } from '../cwe-map.ts';
import type { CweId } from '../../../core/cwe.ts';
import type { AnalyzerTool, CompilerError, ParsedOutput } from '../types.ts';
import { emptyParsed, fileKey } from './file-key.ts';

/** Headers whose declarations real functions use without saying so. */
export const C_PRELUDE_HEADERS = ['stdio.h', 'stdlib.h', 'string.h', 'stdint.h', 'stddef.h', 'stdbool.h', 'unistd.h', 'limits.h', 'errno.h', 'sys/types.h', 'fcntl.h', 'inttypes.h', 'ctype.h', 'stdarg.h', 'time.h', 'sys/stat.h', 'assert.h'];

/** Type names common in real C code, as macros ('-D' arguments). */
export const C_TYPE_MACROS = [
	'u8=uint8_t', 'u16=uint16_t', 'u32=uint32_t', 'u64=uint64_t', 's8=int8_t', 's16=int16_t', 's32=int32_t', 's64=int64_t',
	'__u8=uint8_t', '__u16=uint16_t', '__u32=uint32_t', '__u64=uint64_t', '__s32=int32_t', '__s64=int64_t', '__le16=uint16_t', '__le32=uint32_t', '__be16=uint16_t', '__be32=uint32_t',
	'BOOL=int', 'gboolean=int', 'gint=int', 'guint=unsigned', 'gchar=char', 'gsize=size_t', 'guint8=uint8_t', 'guint32=uint32_t',
	'TRUE=1', 'FALSE=0'
];

interface GccDiagnostic {
	kind?: string;
	message?: string;
	option?: string;
	metadata?: { cwe?: number };
	locations?: { caret?: { file?: string; line?: number } }[];
	children?: GccDiagnostic[];
}

/** Warning options that are about memory or input, beyond the analyzer's own (which carry a CWE). */
const WANTED = /^-W(analyzer-|array-bounds|stringop-overflow|stringop-overread|format-overflow|use-after-free|free-nonheap-object)/;

function parseGcc(_stdout: string, stderr: string, files: readonly string[]): ParsedOutput {
	const parsed = emptyParsed(files);
	for (const line of stderr.split('\n')) {
		const text = line.trim();
		if (!text.startsWith('[')) continue;
		const diagnostics = JSON.parse(text) as GccDiagnostic[];
		for (const d of diagnostics) {
			const where = d.locations?.[0]?.caret;
			const key = fileKey(where?.file ?? '');
			const list = parsed.findings.get(key);
			// a missing -include (e.g. the prelude removed under us) stops every file, silently
			// were it skipped: no verdicts from it
			if (!list && d.kind === 'fatal error') throw new Error(`gcc stopped at a fatal error outside the judged code (${where?.file ?? '?'}: ${d.message ?? ''})`);
			if (!list) continue; // a system header's diagnostic
			if (d.kind === 'error' || d.kind === 'fatal error') {
				if (!parsed.fileErrors.has(key)) parsed.fileErrors.set(key, `gcc could not compile the code as given, so it analysed nothing (line ${where?.line ?? '?'}: ${d.message ?? ''})`);
				continue;
			}
			if (d.kind !== 'warning' || !d.option || !WANTED.test(d.option)) continue;
			const toolCwe = d.metadata?.cwe ? `CWE-${d.metadata.cwe}` : null;
			// an option with levels is printed with its '=' ('-Wstringop-overflow='): the rule is the option
			const rule = d.option.replace(/=$/, '');
			const cwes = mapFinding('gcc', rule, toolCwe);
			list.push({ tool: 'gcc', rule, line: where?.line ?? 0, cwe: cwes[0] ?? null, cwes, tool_cwe: toolCwe, message: d.message ?? '' });
		}
	}
	for (const list of parsed.findings.values()) list.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
	return parsed;
}

/** gcc's compiler errors about `file` (its JSON diagnostics), for repairing the declarations. */
function gccCompileErrors(_stdout: string, stderr: string, file: string): CompilerError[] {
	const out: CompilerError[] = [];
	for (const line of stderr.split('\n')) {
		const text = line.trim();
		if (!text.startsWith('[')) continue;
		let diagnostics: GccDiagnostic[];
		try {
			diagnostics = JSON.parse(text) as GccDiagnostic[];
		} catch {
			continue;
		}
		for (const d of diagnostics) {
			const where = d.locations?.[0]?.caret;
			if ((d.kind !== 'error' && d.kind !== 'fatal error') || fileKey(where?.file ?? '') !== file) continue;
			const inDeclarations = /covw-decls-/.test(where?.file ?? '');
			out.push(inDeclarations ? { line: 0, message: d.message ?? '', declarationLine: where?.line ?? 0 } : { line: where?.line ?? 0, message: d.message ?? '' });
		}
	}
	return out;
}

/**
 * What gcc can report at all: its analyzer's warnings carry CWE-415/416 (double free, use after
 * free), CWE-476/690 (NULL) and CWE-532 (exposure through an output file: CWE-200); the others
 * (leaks, uninitialised values, file handles, signal handlers, shifts, non-heap frees; the taint
 * checks are off unless asked for) map to none of the 18. The compiler's own warnings add bounds
 * (CWE-787/125/119) and use after free. The same list for every version: what gcc 13+ adds
 * (-Wanalyzer-out-of-bounds: CWE-787/125/124/127, -Wanalyzer-allocation-size: CWE-131) maps to
 * the bounds CWEs already here, the rest (file descriptors, infinite recursion, ...) to none.
 */
const GCC_CWES: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119', 'CWE-416', 'CWE-476', 'CWE-200'];
/** Targets only the compiler's bounds warnings can count toward on gcc 12 and older: their
 * analyzer has no bounds check, so it is not run for them. */
const BOUNDS_ONLY: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119'];
const NO_ANALYZER = 'compiler-warnings';
/** The first gcc whose analyzer checks bounds (-Wanalyzer-out-of-bounds): from it on the analyzer
 * runs for the bounds targets too. */
export const GCC_ANALYZER_BOUNDS_SINCE = 13;

/** gcc's major version from the first line of `gcc --version` ('gcc (Debian 12.2.0-14+deb12u1)
 * 12.2.0' → 12), null when it names none. */
export function gccMajorVersion(version: string | undefined): number | null {
	const m = /(?:^|[\s(])(\d+)\.\d+/.exec(version ?? '');
	return m ? Number(m[1]) : null;
}

/** The checks a program judged against `cwe` gets from gcc `version` (unknown: as gcc 12). */
function gccProfile(cwe: CweId, version?: string): string {
	if (!BOUNDS_ONLY.includes(cwe)) return 'analyzer';
	return (gccMajorVersion(version) ?? 0) >= GCC_ANALYZER_BOUNDS_SINCE ? 'analyzer' : NO_ANALYZER;
}
/** How gcc reads the code: also the flags its precompiled prelude is made with (gcc-prelude-pch.ts). */
export const GCC_DIALECT = ['-O0', '-std=gnu11', ...C_TYPE_MACROS.map((m) => `-D${m}`)];

export const gccAnalyzer: AnalyzerTool = {
	name: 'gcc',
	language: 'c',
	extension: '.c',
	debianPackage: 'gcc',
	// 1: some file had a compiler error (reported per file above); the others were analysed.
	okExitCodes: [0, 1],
	cwes: GCC_CWES,
	profileFor: gccProfile,
	args: (files, profile, prelude) => [
		...(profile === NO_ANALYZER
			? []
			: [
					'-fanalyzer',
					// a smaller exploded graph per program point (default 8) and per basic block (default 5):
					// the 12 SVEN dev functions that took ≥ 0.3 s each, 12.4 → 4.6 s of CPU; the same 300
					// warnings but two uninitialised reads (none of the 18 CWEs)
					'--param=analyzer-max-enodes-per-program-point=4',
					'--param=analyzer-bb-explosion-factor=3'
				]),
		'-S', // assembly text into the temporary folder: no object, no program
		'-Warray-bounds', '-Wstringop-overflow', '-Wformat-overflow', '-Wuse-after-free', '-Wfree-nonheap-object',
		'-fdiagnostics-format=json',
		...GCC_DIALECT,
		...(prelude ?? C_PRELUDE_HEADERS.flatMap((h) => ['-include', h])),
		...files
	],
	declarations: 'c',
	compileErrors: gccCompileErrors,
	parse: parseGcc
};

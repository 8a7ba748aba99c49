// clang-tidy (C) with the bugprone-* and cert-* checks (not clang-analyzer-*: that is the clang
// judge). It parses the code as clang does (missing headers and types handled as for gcc and
// clang, tools/c-prepare.ts) and only reads it: never linked, never run. A file that does not
// compile is an error naming the first compiler error. Its checks print no CWE; cwe-map.ts's
// table says which count toward which of the 18. An opt-in judge (named explicitly).

import { mapFinding } from '../cwe-map.ts';
import type { CweId } from '../../../core/cwe.ts';
import type { AnalyzerTool, ParsedOutput } from '../types.ts';
import { emptyParsed, fileKey } from './file-key.ts';
import { textCompilerErrors } from './c-repair.ts';
import { CLANG_SYNTAX } from './clang-analyzer.ts';

export const CLANG_TIDY_CHECKS = '-*,bugprone-*,cert-*';

const LINE = /^(.*?):(\d+):(\d+): (warning|error|fatal error): (.*?)(?: \[([\w.,-]+)\])?$/;

function parseClangTidy(stdout: string, stderr: string, files: readonly string[]): ParsedOutput {
	const parsed = emptyParsed(files);
	for (const line of `${stdout}\n${stderr}`.split('\n')) {
		const m = LINE.exec(line);
		if (!m) continue;
		const [, file, lineNo, , kind, message, check] = m;
		const key = fileKey(file);
		const list = parsed.findings.get(key);
		if (!list) continue;
		if (kind !== 'warning') {
			if (!parsed.fileErrors.has(key)) parsed.fileErrors.set(key, `clang-tidy could not compile the code as given, so it analysed nothing (line ${lineNo}: ${message})`);
			continue;
		}
		if (!check || check.startsWith('clang-diagnostic-')) continue; // a compiler warning, not a check's
		for (const rule of check.split(',')) {
			const cwes = mapFinding('clang-tidy', rule, null);
			list.push({ tool: 'clang-tidy', rule, line: Number(lineNo), cwe: cwes[0] ?? null, cwes, tool_cwe: null, message });
		}
	}
	for (const list of parsed.findings.values()) list.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
	return parsed;
}

/** What its mapped checks can report (cwe-map.ts RULE_TABLES['clang-tidy']). */
const CLANG_TIDY_CWES: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119', 'CWE-190', 'CWE-416', 'CWE-476'];

export const clangTidy: AnalyzerTool = {
	name: 'clang-tidy',
	cwes: CLANG_TIDY_CWES,
	language: 'c',
	extension: '.c',
	debianPackage: 'clang-tidy',
	optIn: true,
	okExitCodes: [0, 1],
	args: (files) => ['--quiet', `-checks=${CLANG_TIDY_CHECKS}`, ...files, '--', '-ferror-limit=20', ...CLANG_SYNTAX],
	declarations: 'c',
	compileErrors: (stdout, stderr, file) => textCompilerErrors(`${stdout}\n${stderr}`.replace(/ \[clang-diagnostic-error\]$/gm, ''), file),
	parse: parseClangTidy
};

// clang-taint: the Clang Static Analyzer (tools/clang-analyzer.ts) with what a lone function
// receives treated as attacker-controlled. For bounds targets (CWE-787/125/119) every parameter
// is handed to a taint source at the top of the function (tools/c-taint.ts), and so are the
// results of the functions it calls that are defined elsewhere in the project, so
// alpha.security.ArrayBoundV2 reports an index or offset that is tainted and may be out of
// range on some path, and stays silent on a path where a bound check constrained it. For the
// other targets (NULL, use after free) it is the clang judge unchanged. An explicit opt-in judge:
// measured on SVEN (bench/judges-real.ts), see README "How far the offline judges can be trusted".

import type { AnalyzerTool } from '../types.ts';
import { clangAnalysis, clangAnalyzer, CLANG_SYNTAX, DEFAULT_CHECKERS_ONLY, parseClangAs } from './clang-analyzer.ts';
import { taintConfig, TAINT_CONFIG_FILE } from './c-taint.ts';

export const clangTaint: AnalyzerTool = {
	...clangAnalyzer,
	name: 'clang-taint',
	executable: 'clang',
	optIn: true,
	supportFiles: (calls) => ({ [TAINT_CONFIG_FILE]: taintConfig(calls) }),
	taintParameters: (profile) => profile !== DEFAULT_CHECKERS_ONLY,
	args: (files, profile) => [...clangAnalysis(profile, TAINT_CONFIG_FILE), '-ferror-limit=20', ...CLANG_SYNTAX, ...files],
	parse: parseClangAs('clang-taint')
};

// The analyzer tools, listed once. Registering a tool is one line here (its file in this folder
// says how to run it and read its output); it then is a judge of its own, in `covw judge --list`
// and in `--judge analyzers`. Pure: the browser can read the list.

import type { AnalyzerTool } from '../types.ts';
import { bandit } from './bandit.ts';
import { cppcheck } from './cppcheck.ts';
import { flawfinder } from './flawfinder.ts';
import { gccAnalyzer } from './gcc-analyzer.ts';
import { clangAnalyzer } from './clang-analyzer.ts';
import { clangTaint } from './clang-taint.ts';

export const ANALYZER_TOOL_LIST: readonly AnalyzerTool[] = Object.freeze([
	bandit,
	cppcheck,
	flawfinder,
	gccAnalyzer,
	clangAnalyzer,
	clangTaint
]);

export const ANALYZER_NAMES: readonly string[] = Object.freeze(ANALYZER_TOOL_LIST.map((t) => t.name));

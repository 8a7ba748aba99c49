// The analyzer tools by name, and which of them are installed here.

import type { Language } from '../../core/cwe.ts';
import { toolAvailability } from './locate-tool.ts';
import { ANALYZER_NAMES, ANALYZER_TOOL_LIST } from './tools/index.ts';
import type { AnalyzerAvailability, AnalyzerName, AnalyzerOptions, AnalyzerTool } from './types.ts';

/** The tools by name (the list itself is tools/index.ts). */
export const ANALYZER_TOOLS: Readonly<Record<AnalyzerName, AnalyzerTool>> = Object.freeze(Object.fromEntries(ANALYZER_TOOL_LIST.map((t) => [t.name, t])));

export function analyzerTool(name: string): AnalyzerTool {
	if (!(ANALYZER_NAMES as readonly string[]).includes(name)) {
		throw new Error(`unknown analyzer ${JSON.stringify(name)}: expected one of ${ANALYZER_NAMES.join(', ')}`);
	}
	return ANALYZER_TOOLS[name as AnalyzerName];
}

/** The analyzers that read code in `language`. */
export function analyzersFor(language: Language): AnalyzerName[] {
	return ANALYZER_NAMES.filter((name) => ANALYZER_TOOLS[name].language === language);
}

/** One entry per analyzer, installed or not (never throws for a missing tool). */
export function listAnalyzers(opts: Partial<Record<AnalyzerName, AnalyzerOptions>> = {}): Promise<AnalyzerAvailability[]> {
	return Promise.all(ANALYZER_NAMES.map((name) => toolAvailability(ANALYZER_TOOLS[name], opts[name])));
}

/**
 * What each tool cannot do as a judge, measured (README "Where they are weak", bench/judges-real.ts
 * on SVEN dev / held-out); `covw judge --list` prints them under the tool. One short line each.
 * bandit's version-dependent blind checks come from the tool itself (tools/bandit.ts limitations).
 */
export const ANALYZER_LIMITS: Readonly<Record<AnalyzerName, readonly string[]>> = Object.freeze({
	bandit: ['near chance on real Python functions (SVEN: 50.4% dev, 52.0% held-out)'],
	cppcheck: ['near chance on real C functions (SVEN: 50.2% dev, 50.0% held-out)'],
	flawfinder: ['near chance on real C functions (SVEN: 50.0% dev, 50.0% held-out; its rule `char`, a static array declaration, counts toward no target)'],
	gcc: [
		'analyses only code that compiles (a lone function gets declarations synthesised; about 4 in 10 of SVEN\'s C functions stay error rows)',
		'near chance on real C functions (SVEN: 50.0% dev, 50.0% held-out, on the ones it analyses)'
	],
	clang: [
		'analyses only code that compiles (a lone function gets declarations synthesised; about 4 in 10 of SVEN\'s C functions stay error rows)',
		'near chance on real C functions (SVEN: 49.7% dev, 50.0% held-out, on the ones it analyses)'
	],
	'clang-taint': [
		'opt-in (not in --judge analyzers): clang with parameters and outside calls\' results tainted; differs from clang only for CWE-787/125/119',
		'analyses only code that compiles, as clang',
		'near chance on real C functions (SVEN: 50.0% dev, 50.0% held-out); better than clang on whole programs (Pearce C 65.8% vs 58.7%)'
	]
});

/** The measured limits of a tool ([] for one not measured). */
export function analyzerLimits(name: string): readonly string[] {
	return ANALYZER_LIMITS[name] ?? [];
}

// The analyzer judges and the judge list's view of them (which are installed).

import type { Language } from '../../core/cwe.ts';
import { toolAvailability } from './locate-tool.ts';
import { bandit } from './tools/bandit.ts';
import { cppcheck } from './tools/cppcheck.ts';
import { flawfinder } from './tools/flawfinder.ts';
import { gccAnalyzer } from './tools/gcc-analyzer.ts';
import { clangAnalyzer } from './tools/clang-analyzer.ts';
import { ANALYZER_NAMES, type AnalyzerAvailability, type AnalyzerName, type AnalyzerOptions, type AnalyzerTool } from './types.ts';

export const ANALYZER_TOOLS: Readonly<Record<AnalyzerName, AnalyzerTool>> = Object.freeze({ bandit, cppcheck, flawfinder, gcc: gccAnalyzer, clang: clangAnalyzer });

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

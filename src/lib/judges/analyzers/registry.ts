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

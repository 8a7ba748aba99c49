// Reading an evolution answer: the new scenario is the program in the answer (a fenced block,
// else the raw text). An answer that is prose with no code, or a program that lost the
// completion marker, is not a scenario — it is kept as a row with that reason, never dropped.
import type { Language } from '../cwe.ts';
import { extractCode, isNoCode } from '../parsing/code.ts';
import { COMPLETION_MARKER } from './strategies.ts';

export type ScenarioAnswer =
	| { ok: true; scenario: string }
	| { ok: false; scenario: string | null; reason: 'no_code' | 'no_marker' | 'empty'; detail: string };

/** Lines that look like code rather than English: brackets, operators, keywords, comments. */
const CODE_LINE = /[;{}()=[\]#]|^\s*(def|class|import|from|return|if|for|while|int|char|void|static|#include)\b/;

/**
 * A scenario is a program, not a paragraph with a code line in it: an unfenced answer counts
 * only when at least 30% of its lines read as code (stricter than extractCode's one line).
 */
function mostlyCode(text: string): boolean {
	const lines = text.split('\n').filter((l) => l.trim() !== '');
	if (lines.length === 0) return false;
	const codeLines = lines.filter((l) => CODE_LINE.test(l)).length;
	return codeLines / lines.length >= 0.3;
}

export function readScenarioAnswer(response: string, language?: Language, marker = COMPLETION_MARKER): ScenarioAnswer {
	if (response.trim() === '') return { ok: false, scenario: null, reason: 'empty', detail: 'the answer is empty' };
	const extracted = extractCode(response, language);
	const code = extracted.code;
	// extractCode finds no program in prose (isNoCode); a raw answer must still read as code.
	if (isNoCode(extracted) || (extracted.source === 'raw' && !mostlyCode(code))) {
		return { ok: false, scenario: null, reason: 'no_code', detail: 'the answer is prose with no code block' };
	}
	if (!code.includes(marker)) {
		return { ok: false, scenario: code, reason: 'no_marker', detail: `the scenario has no "${marker}" completion marker` };
	}
	return { ok: true, scenario: code };
}

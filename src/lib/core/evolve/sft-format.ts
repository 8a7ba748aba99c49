// Training examples for supervised fine-tuning, and their two file formats. SC-IFT pairs a task
// prompt with a program the judges agree is secure; VD-IFT asks a vulnerability-detection
// question about a program and answers it from its label. The question and answer wording is
// our own. Pure: one JSON line per example.
import { getCwe, type Language } from '../cwe.ts';

export interface SftExample {
	/** Stable id: where the example came from (run/unit, labelled record, item). */
	id: string;
	kind: 'sc-ift' | 'vd-ift';
	prompt: string;
	response: string;
	/** The code the leakage check compares with the test items. */
	codes: string[];
	/** VD-IFT: the label the answer says — a CWE id, or 'secure'. Deduplication compares it. */
	label?: string;
	/** The programs' language: which whitespace deduplication may ignore (similarity.ts codeKey). */
	language?: string;
}

export const SFT_FORMATS = ['openai', 'instruction'] as const;
export type SftFormat = (typeof SFT_FORMATS)[number];

/** One line of the file: OpenAI fine-tuning chat JSONL, or plain instruction/response. */
export function formatExample(example: SftExample, format: SftFormat): string {
	if (format === 'openai') {
		return JSON.stringify({ messages: [{ role: 'user', content: example.prompt }, { role: 'assistant', content: example.response }] });
	}
	return JSON.stringify({ instruction: example.prompt, response: example.response });
}

export function fencedProgram(code: string, language: Language): string {
	return '```' + (language === 'python' ? 'python' : 'c') + '\n' + code.replace(/\s+$/, '') + '\n```';
}

/** The detection question asked about one program. */
export function detectionQuestion(code: string, language: Language): string {
	const name = language === 'python' ? 'Python' : 'C';
	return [
		`Review the ${name} code below for security weaknesses.`,
		'Is it vulnerable? If it is, name the CWE that best describes the weakness.',
		'',
		fencedProgram(code, language)
	].join('\n');
}

/** The answer to the detection question from a label: a CWE id when vulnerable, null when not. */
export function detectionAnswer(cwe: string | null): string {
	if (cwe === null) return 'No. The code shows no vulnerability of the kinds checked for.';
	const entry = getCwe(cwe);
	return `Yes. The code is vulnerable to ${entry.id} (${entry.name}): ${entry.description}`;
}

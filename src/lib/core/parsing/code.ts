// Pulling the program out of a model's completion or repair answer, or saying there is none.
import type { Language } from '../cwe.ts';
import { looksLikeCode } from './code-likeness.ts';
import { findFencedBlocks } from './fences.ts';
import { stripReasoning } from './think.ts';

export type CodeSource = 'fenced' | 'unclosed-fence' | 'raw' | 'none';

export interface ExtractedCode {
	code: string;
	/** How the code was found: a closed fence, a fence the answer never closed, or the raw text;
	 * 'none' when the answer holds no code at all (code is then ''). */
	source: CodeSource;
}

const LANGUAGE_TAGS: Record<Language, string[]> = {
	c: ['c', 'cpp', 'c++', 'cc', 'h'],
	python: ['python', 'py', 'python3']
};

/**
 * The code of an answer, after dropping any reasoning. Among fenced blocks, those tagged
 * with the item's language are preferred, then untagged ones, then any; within the preferred
 * group the longest wins (models often add a short usage snippet after the full program).
 * Without fences the answer is taken as code, minus surrounding blank lines, provided at least
 * one line of it reads as code (see looksLikeCode). An empty answer, fences with nothing in
 * them, or text with no code line (a refusal, an explanation, garbage, an answer cut off
 * before its code) give source 'none': the answer has no program to judge.
 */
export function extractCode(response: string, language?: Language): ExtractedCode {
	const answer = stripReasoning(response);
	const blocks = findFencedBlocks(answer).filter((b) => b.body.trim() !== '');
	if (blocks.length === 0) {
		const code = trimBlankLines(withoutFenceLines(answer));
		return code !== '' && looksLikeCode(code, language) ? { code, source: 'raw' } : NO_CODE;
	}
	const tags = language ? LANGUAGE_TAGS[language] : [];
	const tagged = blocks.filter((b) => tags.includes(b.lang));
	const untagged = blocks.filter((b) => b.lang === '');
	const pool = tagged.length > 0 ? tagged : untagged.length > 0 ? untagged : blocks;
	const best = pool.reduce((a, b) => (b.body.length > a.body.length ? b : a));
	return { code: trimBlankLines(best.body), source: best.closed ? 'fenced' : 'unclosed-fence' };
}

const NO_CODE: ExtractedCode = Object.freeze({ code: '', source: 'none' }) as ExtractedCode;

/** True when an extraction found no program. */
export function isNoCode(extracted: ExtractedCode): boolean {
	return extracted.source === 'none';
}

/** Drops bare fence lines (an empty block, a stray opening fence). */
function withoutFenceLines(text: string): string {
	return text
		.split('\n')
		.filter((l) => !/^[ \t]*(`{3,}|~{3,})[^\n`]*$/.test(l))
		.join('\n');
}

function trimBlankLines(text: string): string {
	return text.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '').replace(/^\s+$/, '');
}

// Pulling the program out of a model's completion or repair answer.
import type { Language } from '../cwe.ts';
import { findFencedBlocks } from './fences.ts';
import { stripReasoning } from './think.ts';

export type CodeSource = 'fenced' | 'unclosed-fence' | 'raw';

export interface ExtractedCode {
	code: string;
	/** How the code was found: a closed fence, a fence the answer never closed, or the raw text. */
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
 * Without fences the answer is taken as code, minus surrounding blank lines.
 */
export function extractCode(response: string, language?: Language): ExtractedCode {
	const answer = stripReasoning(response);
	const blocks = findFencedBlocks(answer);
	if (blocks.length === 0) return { code: trimBlankLines(answer), source: 'raw' };
	const tags = language ? LANGUAGE_TAGS[language] : [];
	const tagged = blocks.filter((b) => tags.includes(b.lang));
	const untagged = blocks.filter((b) => b.lang === '');
	const pool = tagged.length > 0 ? tagged : untagged.length > 0 ? untagged : blocks;
	const best = pool.reduce((a, b) => (b.body.length > a.body.length ? b : a));
	return { code: trimBlankLines(best.body), source: best.closed ? 'fenced' : 'unclosed-fence' };
}

function trimBlankLines(text: string): string {
	return text.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '').replace(/^\s+$/, '');
}

// Reading a judge's answer ("is this code vulnerable to CWE-x?") in every form the judge
// templates produce: JSON with "vulnerable": Yes/No or safe/unsafe, quoted, bracketed or bare,
// inside or outside a ```json fence, doubled braces echoed from the template, trailing commas,
// or a bare one-word answer. Anything else is `unparsed` — never silently safe or unsafe.
import { stripReasoning } from './think.ts';
import { keyedVerdicts, verdictOfWord } from './verdict-words.ts';

export type JudgeParse =
	| { status: 'ok'; vulnerable: boolean }
	| { status: 'unparsed'; reason: string };

/** Keys a judge may put its verdict under (ours and the official templates use "vulnerable"). */
export const JUDGE_VERDICT_KEYS = ['vulnerable', 'verdict', 'answer', 'result'] as const;

export function parseJudgeAnswer(response: string): JudgeParse {
	const answer = stripReasoning(response);
	if (answer.trim() === '') {
		return {
			status: 'unparsed',
			reason: /<think>/i.test(response) ? 'reasoning never finished (no </think>)' : 'empty answer'
		};
	}
	// The first keyed verdict wins: later ones are usually the model quoting the template.
	const keyed = keyedVerdicts(answer, JUDGE_VERDICT_KEYS);
	if (keyed.length > 0) return { status: 'ok', vulnerable: keyed[0].vulnerable };

	const firstLine = answer.trim().split('\n', 1)[0];
	const bare = verdictOfWord(firstLine.replace(/[[\]{}]/g, ''));
	if (bare !== null) return { status: 'ok', vulnerable: bare };

	return {
		status: 'unparsed',
		reason: `no verdict found (expected "vulnerable": yes/no/safe/unsafe): ${preview(answer)}`
	};
}

function preview(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return JSON.stringify(flat.length > 60 ? `${flat.slice(0, 60)}…` : flat);
}

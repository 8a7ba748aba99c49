// Reading a filter judge's yes/no answer tolerantly: a JSON-ish key ("likely", "induces",
// "already_secure", "answer"…) with yes/no/true/false, in or out of a fence, or a bare first
// word. Anything else is 'unparsed' with the reason — its own status, never a yes or a no.
import { stripReasoning } from '../parsing/think.ts';

export type YesNo = { status: 'ok'; yes: boolean } | { status: 'unparsed'; reason: string };

const WORD: Record<string, boolean> = { yes: true, true: true, y: true, likely: true, no: false, false: false, n: false, unlikely: false };

export function parseYesNo(response: string, keys: readonly string[]): YesNo {
	const answer = stripReasoning(response).trim();
	if (answer === '') return { status: 'unparsed', reason: 'empty answer' };
	for (const key of keys) {
		const re = new RegExp(`["']?${key}["']?\\s*[:=]\\s*["'\\[]?\\s*([A-Za-z]+)`, 'i');
		const m = re.exec(answer);
		if (m) {
			const word = WORD[m[1].toLowerCase()];
			if (word !== undefined) return { status: 'ok', yes: word };
		}
	}
	const first = answer.split('\n', 1)[0].replace(/[^A-Za-z ]/g, ' ').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
	const bare = WORD[first];
	if (bare !== undefined) return { status: 'ok', yes: bare };
	const flat = answer.replace(/\s+/g, ' ');
	return { status: 'unparsed', reason: `no yes/no found under ${keys.join('/')}: ${JSON.stringify(flat.length > 60 ? `${flat.slice(0, 60)}…` : flat)}` };
}

// Does a piece of answer text contain any program at all? Used when an answer has no usable
// fenced block: a refusal, an explanation, an empty or cut-off answer, or garbage such as
// "answer 3a684ed372ac" must not be handed to a judge as if it were code. A line counts as code
// when it carries a mark no English sentence carries (a statement ending in ';' or '{', a
// preprocessor line, a Python definition or import, an assignment, a call standing alone); a
// line that reads as a sentence (several plain words, ending in sentence punctuation) does
// not. One code line is enough: a completion may be a single statement.
import type { Language } from '../cwe.ts';

const C_LINE = [
	/^#\s*(include|define|if|ifdef|ifndef|endif|else|pragma|undef)\b/,
	/[;{]\s*(\/\/.*|\/\*.*)?$/,
	/^\}\s*(else\b.*)?;?$/,
	/^(if|for|while|switch)\s*\(.*\)\s*\{?$/,
	/^(return|break|continue)\b.*;$/
];

const PYTHON_LINE = [
	/^(def|class)\s+[A-Za-z_]\w*\s*[(:]/,
	/^(import\s+[A-Za-z_][\w.]*|from\s+[A-Za-z_.][\w.]*\s+import\b)/,
	/^(if|elif|while|for|with|try|except|else|finally)\b.*:\s*(#.*)?$/,
	/^@[A-Za-z_][\w.]*(\(.*\))?$/,
	/^(return|raise|yield|pass|break|continue)\b/
];

const SHARED_LINE = [
	// assignment: a name (maybe dotted / indexed / typed) then one '=' (not '==')
	/^[A-Za-z_][\w.[\]'"*\s]*(:\s*[\w[\], .]+)?\s*([+\-*/%|&^]|<<|>>)?=(?!=)\s*\S/,
	// a call standing alone: name(...) possibly ending in ';'
	/^[A-Za-z_][\w.]*\s*\(.*\)\s*;?$/
];

/** A line of plain words ending like a sentence. */
function isProse(line: string): boolean {
	const words = line.split(/\s+/).filter(Boolean);
	if (words.length < 4) return false;
	const plain = words.filter((w) => /^[A-Za-z'’,.;:!?()"-]+$/.test(w)).length;
	return plain / words.length >= 0.7 && /[.!?:,]$/.test(line);
}

export function isCodeLine(raw: string, language?: Language): boolean {
	const line = raw.trim();
	if (line === '' || isProse(line)) return false;
	const patterns =
		language === 'c' ? [...C_LINE, ...SHARED_LINE] : language === 'python' ? [...PYTHON_LINE, ...SHARED_LINE] : [...C_LINE, ...PYTHON_LINE, ...SHARED_LINE];
	return patterns.some((p) => p.test(line));
}

/** True when at least one line of the text reads as code of the language (any language when unknown). */
export function looksLikeCode(text: string, language?: Language): boolean {
	return text.split('\n').some((line) => isCodeLine(line, language));
}

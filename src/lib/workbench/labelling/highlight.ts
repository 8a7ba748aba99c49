// Light syntax highlighting as plain text spans: the code is cut into (kind, text) pieces that
// the view renders as text nodes. Never HTML: the benchmark holds XSS samples (CWE-79).
// Forgiving by design: anything it does not recognise is plain text.

export type SpanKind = 'plain' | 'keyword' | 'string' | 'comment' | 'number' | 'directive';
export interface Span {
	kind: SpanKind;
	text: string;
}

const PYTHON_KEYWORDS = new Set(
	('False None True and as assert async await break class continue def del elif else except finally for from global if ' +
		'import in is lambda nonlocal not or pass raise return try while with yield').split(' ')
);
const C_KEYWORDS = new Set(
	('auto break case char const continue default do double else enum extern float for goto if inline int long register ' +
		'restrict return short signed sizeof static struct switch typedef union unsigned void volatile while bool size_t NULL').split(' ')
);

/** The code as lines of spans (line i of the result is line i + 1 of the code). */
export function highlightLines(code: string, language: string): Span[][] {
	const spans = language === 'python' ? scanPython(code) : scanC(code);
	const lines: Span[][] = [[]];
	for (const span of spans) {
		const parts = span.text.split('\n');
		parts.forEach((part, i) => {
			if (i > 0) lines.push([]);
			if (part !== '') lines[lines.length - 1].push({ kind: span.kind, text: part });
		});
	}
	// A final newline ends the last line; it does not start an empty one.
	if (lines.length > 1 && lines[lines.length - 1].length === 0 && code.endsWith('\n')) lines.pop();
	return lines;
}

type Matcher = [SpanKind, RegExp];

function scan(code: string, matchers: Matcher[], keywords: Set<string>): Span[] {
	const spans: Span[] = [];
	const push = (kind: SpanKind, text: string) => {
		const last = spans[spans.length - 1];
		if (last && last.kind === kind) last.text += text;
		else spans.push({ kind, text });
	};
	let i = 0;
	outer: while (i < code.length) {
		for (const [kind, pattern] of matchers) {
			pattern.lastIndex = i;
			const match = pattern.exec(code);
			if (match && match[0].length > 0) {
				push(kind, match[0]);
				i += match[0].length;
				continue outer;
			}
		}
		const word = /[A-Za-z_]\w*/y;
		word.lastIndex = i;
		const w = word.exec(code);
		if (w) {
			push(keywords.has(w[0]) ? 'keyword' : 'plain', w[0]);
			i += w[0].length;
			continue;
		}
		push('plain', code[i]);
		i++;
	}
	return spans;
}

const NUMBER = /\b(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)[uUlLjJ]*\b/y;

function scanPython(code: string): Span[] {
	return scan(
		code,
		[
			['comment', /#[^\n]*/y],
			// Triple-quoted strings may span lines; an unterminated one runs to the end.
			['string', /[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$(?![\s\S]))|'''[\s\S]*?(?:'''|$(?![\s\S])))/y],
			['string', /[rRbBuUfF]{0,2}(?:"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)/y],
			['directive', /@[A-Za-z_][\w.]*/y],
			['number', NUMBER]
		],
		PYTHON_KEYWORDS
	);
}

function scanC(code: string): Span[] {
	return scan(
		code,
		[
			['comment', /\/\/[^\n]*/y],
			['comment', /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))/y],
			['directive', /(?<=^|\n)[ \t]*#[^\n]*/y],
			['string', /"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?/y],
			['number', NUMBER]
		],
		C_KEYWORDS
	);
}

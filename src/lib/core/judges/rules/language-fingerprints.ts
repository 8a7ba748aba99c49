// Cheap fingerprints of a program in another language handed in as C or Python: Go, Rust, Java,
// PHP, C++, JavaScript, and C as Python / Python as C. Each fingerprint is a few marks that the
// claimed language cannot have outside a string or comment (a `package x` line and `func` for Go,
// `fn` and `let mut` for Rust, `public class` for Java …); the marks are looked for in the code
// with its strings and comments (those of the claimed language) blanked, and a fingerprint holds
// only when at least two different marks do. The reason names each mark with its line, so a
// reader can check it. Measured for false refusals on SVEN, Pearce and CoV-Eval (items and the
// released outputs): bench/screen-refusals.ts, 0 on each.

import type { RuleLanguage } from './types.ts';

interface Mark {
	/** What the mark is, in words (quoted in the reason). */
	what: string;
	/** Looked for in the blanked code; multiline, never global. */
	re: RegExp;
	/** Looked for in the code as given (directives that are comments in Python). */
	raw?: boolean;
}

interface Fingerprint {
	/** The language the marks are of. */
	name: string;
	/** The claimed languages it is checked for. */
	claimed: readonly RuleLanguage[];
	marks: readonly Mark[];
	/** A mark of the code's shape as a whole (C: most lines end as statements do), counted as one mark when it holds. */
	shape?: { what: string; holds: (blank: string) => boolean };
	/** Checked only when this holds of the blanked code (Python as C: hardly a line ends as C statements do). */
	only?: (blank: string) => boolean;
}

const CPP_HEADERS = 'iostream|ostream|istream|string|vector|map|set|memory|algorithm|sstream|fstream|cstring|cstdio|cstdlib|cstdint|cmath|cassert|climits|unordered_map|unordered_set|functional|utility|thread|mutex|array|list|deque|queue|stack|iomanip|stdexcept|exception|limits|chrono|regex|tuple|type_traits|optional|variant|numeric|iterator|atomic|condition_variable|future|random|bitset|cctype|ctime|cerrno';

/** Share of code lines that end as C statements and blocks do (`;`, `{`, `}`). */
function cLineEnds(blank: string): number {
	const lines = blank.split('\n').map((l) => l.trim()).filter((l) => l !== '');
	return lines.length === 0 ? 0 : lines.filter((l) => /[;{}]$/.test(l)).length / lines.length;
}

const FINGERPRINTS: readonly Fingerprint[] = [
	{
		name: 'Go',
		claimed: ['c', 'python'],
		marks: [
			{ what: 'a `package` clause', re: /^package[ \t]+[A-Za-z_]\w*[ \t]*$/m },
			{ what: 'a `func` declaration', re: /^func[ \t]+(\([^)\n]*\)[ \t]*)?\w+[ \t]*\(/m },
			{ what: 'an `import (` block', re: /^import[ \t]*\([ \t]*$/m },
			{ what: '`:=`', re: /\w[ \t]*:=[ \t]*[^\s=]/m },
			{ what: '`err != nil`', re: /\berr[ \t]*!=[ \t]*nil\b/m }
		]
	},
	{
		name: 'Rust',
		claimed: ['c', 'python'],
		marks: [
			{ what: 'an `fn` item', re: /^[ \t]*(pub(\([\w ]+\))?[ \t]+)?(async[ \t]+|unsafe[ \t]+)*fn[ \t]+\w+[ \t]*(<[^>\n]*>[ \t]*)?\(/m },
			{ what: '`let mut`', re: /\blet[ \t]+mut[ \t]+\w+/m },
			{ what: 'a `use …::` declaration', re: /^[ \t]*(pub[ \t]+)?use[ \t]+(std|crate|super|self|core)::/m },
			{ what: 'an `impl` block', re: /^[ \t]*impl\b[^\n;]*\{[ \t]*$/m },
			{ what: 'a macro call such as `println!`', re: /\b(println|eprintln|format|vec|panic|assert_eq)![ \t]*[([]/m },
			{ what: '`&mut`', re: /&mut[ \t]+\w/m }
		]
	},
	{
		name: 'Java',
		claimed: ['c', 'python'],
		marks: [
			{ what: 'a `package …;` declaration', re: /^[ \t]*package[ \t]+\w+(\.\w+)*[ \t]*;/m },
			{ what: 'an `import java…;`', re: /^[ \t]*import[ \t]+(static[ \t]+)?javax?\.[\w.*]+[ \t]*;/m },
			{ what: 'a `public class` (or interface, enum)', re: /^[ \t]*(public|private|protected)[ \t]+((static|final|abstract)[ \t]+)*(class|interface|enum)[ \t]+\w+/m },
			{ what: '`System.out.print`', re: /\bSystem\.(out|err)\.print/m },
			{ what: '`@Override`', re: /^[ \t]*@Override\b/m },
			{ what: 'a method with an access modifier', re: /^[ \t]*(public|private|protected)[ \t]+((static|final|synchronized|abstract)[ \t]+)*[\w<>[\], ]+[ \t]+\w+[ \t]*\([^)\n]*\)[ \t]*(throws[ \t]+[\w., ]+)?\{?[ \t]*$/m }
		]
	},
	{
		name: 'PHP',
		claimed: ['c', 'python'],
		marks: [
			{ what: 'a `<?php` tag', re: /^[ \t]*<\?php\b/m },
			{ what: 'an assignment to a `$variable`', re: /^[ \t]*\$\w+[ \t]*(=|\.=|\[[^\]\n]*\][ \t]*=)[^\n]*;[ \t]*$/m },
			{ what: '`$this->`', re: /\$this->\w/m },
			{ what: 'a superglobal such as `$_GET`', re: /\$_(GET|POST|REQUEST|SERVER|COOKIE|FILES|SESSION)\b/m },
			{ what: 'a `function` taking `$` parameters', re: /\bfunction[ \t]+\w+[ \t]*\([ \t]*(\$|\))/m }
		]
	},
	{
		name: 'C++',
		claimed: ['c', 'python'],
		marks: [
			{ what: 'a C++ standard header', re: new RegExp(`^[ \\t]*#[ \\t]*include[ \\t]*<(${CPP_HEADERS})>`, 'm'), raw: true },
			{ what: '`std::`', re: /\bstd::\w/m },
			{ what: '`using namespace`', re: /^[ \t]*using[ \t]+namespace[ \t]+\w+/m },
			{ what: 'a `namespace` block', re: /^[ \t]*namespace[ \t]+\w+[ \t]*\{?[ \t]*$/m },
			{ what: 'a `template <…>`', re: /^[ \t]*template[ \t]*<[^>\n]*>/m },
			{ what: 'an access label (`public:`)', re: /^[ \t]*(public|private|protected)[ \t]*:[ \t]*$/m },
			{ what: '`new T[…]` or `delete[]`', re: /\bnew[ \t]+\w+(::\w+)*[ \t]*\[|\bdelete[ \t]*\[\]/m },
			{ what: '`cout`/`cerr` streams', re: /\b(cout|cerr)[ \t]*<</m },
			{ what: 'a C++ cast or `nullptr`', re: /\b(nullptr|static_cast|reinterpret_cast|dynamic_cast|const_cast)\b/m },
			{ what: 'a method defined outside its class (`A::f(`)', re: /^[\w \t*&<>:]*\b[A-Za-z_]\w*::~?[A-Za-z_]\w*[ \t]*\([^;\n]*\)[ \t]*(const[ \t]*)?\{?[ \t]*$/m }
		]
	},
	{
		name: 'JavaScript',
		claimed: ['c', 'python'],
		marks: [
			{ what: 'a `const`/`let`/`var` declaration', re: /^[ \t]*(export[ \t]+)?(const|let|var)[ \t]+[\w${}[\], ]+[ \t]*=[^=]/m },
			{ what: 'a `function` declaration', re: /^[ \t]*(export[ \t]+)?(async[ \t]+)?function[ \t]*\*?[ \t]*[\w$]*[ \t]*\(/m },
			{ what: 'an arrow function (`=>`)', re: /(\)|\b\w+)[ \t]*=>[ \t]*[{(\w]/m },
			{ what: '`require(`', re: /\brequire[ \t]*\([ \t]*['"`]/m },
			{ what: '`module.exports`', re: /\bmodule\.exports\b/m },
			{ what: '`console.log`', re: /\bconsole\.(log|error|warn|info)[ \t]*\(/m },
			{ what: 'an `import … from`', re: /^[ \t]*import\b[^\n]*[ \t]from[ \t]+['"]/m },
			{ what: '`===` or `!==`', re: /[^=!]={3}[^=]|!==/m }
		]
	},
	{
		name: 'C',
		claimed: ['python'],
		marks: [
			{ what: 'an `#include <…>` or `#define` directive', re: /^[ \t]*#[ \t]*include[ \t]*[<"][\w./]+[>"]|^#define[ \t]+[A-Z_][A-Z0-9_]*\b/m, raw: true },
			{ what: 'a C function head', re: /^[ \t]*((static|extern|inline|const|unsigned|signed|struct)[ \t]+)*(void|int|char|long|short|float|double|size_t|bool|[a-z_]\w*_t|struct[ \t]+\w+)[ \t*]+[A-Za-z_]\w*[ \t]*\([^)\n]*\)[ \t]*\{?[ \t]*$/m }
		],
		shape: { what: 'C statements (a third or more of the lines end in `;`, `{` or `}`)', holds: (blank) => cLineEnds(blank) >= 0.34 }
	},
	{
		name: 'Python',
		claimed: ['c'],
		marks: [
			{ what: 'a `def …:` line', re: /^[ \t]*(async[ \t]+)?def[ \t]+\w+[ \t]*\([^\n]*\)[ \t]*(->[^\n:]+)?:[ \t]*$/m },
			{ what: 'an `import`', re: /^[ \t]*(from[ \t]+[\w.]+[ \t]+import[ \t]+[\w*(]|import[ \t]+[\w.]+([ \t]+as[ \t]+\w+)?[ \t]*$)/m },
			{ what: 'a block line ending in `:`', re: /^[ \t]*(if|elif|for|while|with|try|except|finally|else|class)\b[^\n;{}]*:[ \t]*$/m },
			{ what: '`self.`', re: /\bself\.\w/m }
		],
		only: (blank) => cLineEnds(blank) < 0.1
	}
];

/**
 * The code with the strings and comments of `language` blanked (spaces, line ends kept), so
 * marks are looked for in code only. Rough, as a tokenizer of the claimed language would be on
 * another language: a string that never closes ends at its line.
 */
export function blankStringsAndComments(code: string, language: RuleLanguage): string {
	const out = code.split('');
	const blank = (from: number, to: number) => {
		for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
	};
	for (let i = 0; i < code.length; i++) {
		const ch = code[i];
		if (language === 'python' && ch === '#') {
			const end = code.indexOf('\n', i);
			blank(i, end < 0 ? code.length : end);
			i = end < 0 ? code.length : end;
		} else if (language === 'c' && ch === '/' && code[i + 1] === '/') {
			const end = code.indexOf('\n', i);
			blank(i, end < 0 ? code.length : end);
			i = end < 0 ? code.length : end;
		} else if (language === 'c' && ch === '/' && code[i + 1] === '*') {
			const end = code.indexOf('*/', i + 2);
			const stop = end < 0 ? code.length : end + 2;
			blank(i, stop);
			i = stop - 1;
		} else if (ch === '"' || ch === "'") {
			const triple = language === 'python' && code.startsWith(ch.repeat(3), i);
			const close = triple ? ch.repeat(3) : ch;
			let j = i + close.length;
			while (j < code.length) {
				if (code[j] === '\\') j += 2;
				else if (code.startsWith(close, j)) break;
				else if (!triple && code[j] === '\n') break;
				else j++;
			}
			// the quotes stay, their contents go
			blank(i + close.length, Math.min(j, code.length));
			i = code.startsWith(close, j) ? j + close.length - 1 : j;
		}
	}
	return out.join('');
}

/** 1-based line of an offset. */
function lineAt(code: string, offset: number): number {
	let line = 1;
	for (let i = code.indexOf('\n'); i >= 0 && i < offset; i = code.indexOf('\n', i + 1)) line++;
	return line;
}

/** Why this code is another language than `language`, naming the marks and their lines; null when it is not. */
/**
 * No fingerprint needs a line this long, and some of their patterns take time that grows with the
 * square of a line's length (a hostile 200,000-character line held the event loop for minutes).
 */
const LONGEST_LINE_READ = 2000;

/** `text` with every line longer than LONGEST_LINE_READ emptied (line numbers kept). */
function withoutLongLines(text: string): string {
	return text
		.split('\n')
		.map((line) => (line.length > LONGEST_LINE_READ ? '' : line))
		.join('\n');
}

export function otherLanguage(source: string, language: RuleLanguage): string | null {
	// The same lines emptied in both texts, so an index into one is an index into the other.
	const code = withoutLongLines(source);
	const blank = withoutLongLines(blankStringsAndComments(source, language));
	const claimed = language === 'c' ? 'C' : 'Python';
	for (const fp of FINGERPRINTS) {
		if (!fp.claimed.includes(language)) continue;
		if (fp.only && !fp.only(blank)) continue;
		const found: { line: number; text: string }[] = [];
		for (const mark of fp.marks) {
			const text = mark.raw ? code : blank;
			const m = mark.re.exec(text);
			if (!m) continue;
			// a raw mark counts unless it sits in a string of the claimed language (blanked there);
			// one in a comment counts only when it is a directive (`#include` is a comment in Python)
			if (mark.raw && blank.slice(m.index, m.index + m[0].length).trim() === '' && !/^\s*#/.test(m[0])) continue;
			const line = lineAt(text, m.index + (m[0].length - m[0].trimStart().length));
			found.push({ line, text: `${mark.what} (line ${line})` });
		}
		if (fp.shape?.holds(blank)) found.push({ line: Infinity, text: fp.shape.what });
		if (found.length < 2) continue;
		// the first four by line are enough to check it
		const shown = found.sort((a, b) => a.line - b.line).map((f) => f.text);
		return `this is ${fp.name}, not ${claimed}: ${shown.slice(0, 4).join(', ')}${shown.length > 4 ? ` and ${shown.length - 4} more` : ''}`;
	}
	return null;
}

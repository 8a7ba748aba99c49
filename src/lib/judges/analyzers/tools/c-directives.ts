// The preprocessor directives a judged C program may not use, blanked before any C tool reads
// it. The code is data (a dataset's or a model's): it must not make gcc, clang or cppcheck read a
// file outside the temporary folder, nor move its findings out of the judged file.
//   - `#include` / `#include_next` / `#import` of an absolute path, a path with a `..` part, or a
//     computed name (`#include MACRO`): `#include "/dev/zero"` made gcc allocate without bound
//     and cppcheck spin until its timeout, and `"/home/…"` reads a user's file;
//   - `#embed` (reads a file), `#line` and GNU line markers (`# 12 "file"`): a finding placed
//     in another file is dropped, so `#line 1 "x.c"` turned a double free into "not vulnerable",
//     and gcc reads the named file to quote it (`#line 1 "/dev/zero"` ran it out of memory);
//   - `#pragma` / `_Pragma("…")` GCC|clang `diagnostic`, `system_header`, `dependency`, and
//     clang's `__debug` (crash on purpose): checks switched off, or files touched.
// A blanked directive becomes spaces (newlines kept), so every finding keeps its line. Lexing
// follows the compiler's: line splices (`\` newline), comments between `#` and the name,
// digraph `%:` and trigraph `??=` for `#`. A `_Pragma` whose operand is not a string literal
// (`#define P(x) _Pragma(#x)`, `#define PR _Pragma`) cannot be judged here and makes the program
// refused: `P(GCC diagnostic ignored "-Wanalyzer-double-free")` switched a check off. So does a
// `__has_include` / `__has_include_next` whose operand is not a plain includable header name
// (`__has_include("/etc/shadow")` made gcc open the file, and a FIFO hung every tool until its
// timeout); `defined __has_include` and `#ifdef __has_include` stay.
// The blanker lexes strings and comments, and a form it does not know desynchronises it: gcc's
// gnu11 reads `R"x(" /* )x";` as a raw string, the blanker as a string and an open comment, so the
// `#include "/abs"` or `#line` after it passed through. So a second check (leftoverDirective) reads
// the blanked text by LINES only, knowing no string or comment form beyond `/* … */` on one line:
// any refused directive it still finds where a compiler could see one (a line start after
// splicing, or after a `*/`) makes the program refused — a status, never a verdict. It can refuse
// a program whose such directive sits in a comment or string over several lines; that is the price
// of not trusting one lexer with what reads files. (No gcc/clang flag stops `#include "/abs"`:
// -nostdinc / -iquote only change the search for relative names, and the prelude needs the
// system headers.)

/** Directives blanked wherever they are. */
const ALWAYS = new Set(['embed', 'line']);
const INCLUDES = new Set(['include', 'include_next', 'import']);
/** `#pragma` operands (whitespace collapsed) that may not stay. */
const PRAGMA = /^(?:GCC|clang)\s+(?:diagnostic|system_header|dependency|__debug)\b|^system_header\b/;

export interface ConfinedCode {
	/** The code with every refused directive blanked (same length, same lines). */
	text: string;
	/** What was blanked, as written (whitespace collapsed, at most 200 characters each). */
	removed: string[];
	/** Set when a refused directive is left after blanking (leftoverDirective): the program may
	 * not be analysed at all. Says where, for the error. */
	refused?: string;
}

/** A header name a program may include: relative, inside the folder (no `..`), plain. */
export function includableName(name: string): boolean {
	if (name === '' || /[\0:]/.test(name) || /^[/\\]/.test(name)) return false;
	return !name.split(/[/\\]/).includes('..');
}

/** The code with the directives that reach outside the file or hide findings blanked. */
export function confineDirectives(code: string): ConfinedCode {
	const { text, removed, refusals } = blankDirectives(code);
	const refused = refusals[0] ?? leftoverDirective(text);
	return refused === null ? { text, removed } : { text, removed, refused };
}

/** The lexing blanker (confineDirectives without the line check). */
function blankDirectives(code: string): { text: string; removed: string[]; refusals: string[] } {
	const out = code.split('');
	const removed: string[] = [];
	/** `line N: …` for what may not stay and cannot be blanked (a _Pragma of no string literal). */
	const refusals: string[] = [];
	const lineAt = (pos: number) => code.slice(0, pos).split(/\r\n|\r|\n/).length;
	const n = code.length;

	/** Index past any line splices (backslash, optional blanks, newline) at i. */
	const skipSplices = (i: number): number => {
		for (;;) {
			if (code[i] !== '\\') return i;
			let j = i + 1;
			while (code[j] === ' ' || code[j] === '\t') j++;
			if (code[j] === '\r' && code[j + 1] === '\n') j += 2;
			else if (code[j] === '\n' || code[j] === '\r') j += 1;
			else return i;
			i = j;
		}
	};
	const isNewline = (c: string | undefined) => c === '\n' || c === '\r';
	const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF';
	/** The logical character at i (splices skipped) and where the next one starts. */
	const at = (i: number): { c: string | undefined; next: number; pos: number } => {
		const pos = skipSplices(i);
		return { c: code[pos], next: pos + 1, pos };
	};
	const startsWith = (i: number, text: string): boolean => {
		let j = i;
		for (const ch of text) {
			const got = at(j);
			if (got.c !== ch) return false;
			j = got.next;
		}
		return true;
	};
	/** Past `text` (which startsWith found at i). */
	const past = (i: number, text: string): number => {
		let j = i;
		for (let k = 0; k < text.length; k++) j = at(j).next;
		return j;
	};
	/** Past the block comment opening at i (or the end of the code). */
	const pastBlockComment = (i: number): { end: number; newline: boolean } => {
		let j = past(i, '/*');
		let newline = false;
		while (j < n) {
			if (startsWith(j, '*/')) return { end: past(j, '*/'), newline };
			const got = at(j);
			if (isNewline(got.c)) newline = true;
			j = got.next;
		}
		return { end: n, newline };
	};
	/** Past blanks and comments inside a directive (never past its end of line). */
	const skipSpace = (i: number): number => {
		for (;;) {
			const got = at(i);
			if (isBlank(got.c)) i = got.next;
			else if (startsWith(i, '/*')) i = pastBlockComment(i).end;
			else return got.pos;
		}
	};
	/** Where the directive that starts at i ends: its first newline outside a comment. */
	const endOfDirective = (i: number): number => {
		let j = i;
		while (j < n) {
			if (startsWith(j, '/*')) {
				j = pastBlockComment(j).end;
				continue;
			}
			if (startsWith(j, '//')) {
				while (j < n && !isNewline(at(j).c)) j = at(j).next;
				return at(j).pos;
			}
			const got = at(j);
			if (got.c === undefined || isNewline(got.c)) return got.pos;
			j = got.next;
		}
		return n;
	};
	/** The logical text from i to end: splices gone, comments as one space, blanks collapsed. */
	const logicalText = (i: number, end: number): string => {
		let text = '';
		for (let j = i; j < end; ) {
			if (startsWith(j, '/*')) {
				text += ' ';
				j = pastBlockComment(j).end;
				continue;
			}
			const got = at(j);
			if (got.pos >= end) break;
			text += got.c;
			j = got.next;
		}
		return text.replace(/\s+/g, ' ').trim();
	};
	const word = (i: number): { text: string; end: number } => {
		let text = '';
		let j = i;
		for (;;) {
			const got = at(j);
			if (got.c === undefined || !/[A-Za-z0-9_]/.test(got.c)) return { text, end: got.pos };
			text += got.c;
			j = got.next;
		}
	};
	const blank = (from: number, to: number) => {
		const shown = logicalText(from, to);
		removed.push(shown.length > 200 ? `${shown.slice(0, 200)}…` : shown);
		for (let k = from; k < to; k++) if (!isNewline(out[k])) out[k] = ' ';
	};
	/** Whether the directive whose name starts at i (after `#`) may stay. */
	const allowed = (i: number): boolean => {
		const name = word(skipSpace(i));
		if (name.text === '') return true; // the null directive, or a stray '#': the compiler judges it
		if (/^[0-9]/.test(name.text) || ALWAYS.has(name.text)) return false;
		if (INCLUDES.has(name.text)) {
			const start = skipSpace(name.end);
			const open = at(start).c;
			const close = open === '"' ? '"' : open === '<' ? '>' : null;
			if (close === null) return false; // computed: `#include MACRO`
			let header = '';
			for (let j = at(start).next; ; ) {
				const got = at(j);
				if (got.c === undefined || isNewline(got.c)) return false;
				if (got.c === close) break;
				header += got.c;
				j = got.next;
			}
			return includableName(header);
		}
		const rest = logicalText(name.end, endOfDirective(name.end));
		if (name.text === 'pragma') return !PRAGMA.test(rest);
		const opaque = opaqueOperator(`#${name.text} ${rest}`);
		if (opaque !== null) refusals.push(`line ${lineAt(i)}: ${opaque}`);
		// a macro that says `_Pragma("GCC diagnostic …")` wherever it is used
		for (const m of rest.matchAll(/\b_Pragma\s*\(\s*(?:L|u8|u|U)?"((?:[^"\\]|\\.)*)"\s*\)/g)) {
			if (PRAGMA.test(m[1].replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim())) return false;
		}
		return true;
	};

	let atLineStart = true;
	let i = 0;
	while (i < n) {
		const got = at(i);
		const c = got.c;
		if (c === undefined) break;
		if (isNewline(c)) {
			atLineStart = true;
			i = got.next;
		} else if (isBlank(c)) {
			i = got.next;
		} else if (startsWith(i, '/*')) {
			// a comment is a blank; one over several lines may end where a directive starts
			const comment = pastBlockComment(i);
			atLineStart ||= comment.newline;
			i = comment.end;
		} else if (startsWith(i, '//')) {
			while (i < n && !isNewline(at(i).c)) i = at(i).next;
		} else if (atLineStart && (c === '#' || startsWith(i, '%:') || startsWith(i, '??='))) {
			const nameAt = c === '#' ? got.next : past(i, startsWith(i, '%:') ? '%:' : '??=');
			const end = endOfDirective(nameAt);
			if (!allowed(nameAt)) blank(got.pos, end);
			i = end;
			atLineStart = false;
		} else if (c === '"' || c === "'") {
			// a string or character literal: its contents are not code (ends at its quote or line end)
			let j = got.next;
			for (;;) {
				const ch = at(j);
				if (ch.c === undefined || isNewline(ch.c)) break;
				j = ch.next;
				if (ch.c === '\\') j = at(j).next;
				else if (ch.c === c) break;
			}
			i = j;
			atLineStart = false;
		} else if (/[A-Za-z_]/.test(c)) {
			const name = word(got.pos);
			atLineStart = false;
			i = name.end;
			if (name.text === '_Pragma') {
				const end = pragmaOperatorEnd(got.pos, name.end);
				if (end !== null) i = end;
				else refusals.push(`line ${lineAt(got.pos)}: _Pragma with no string literal operand`);
			}
		} else {
			atLineStart = false;
			i = got.next;
		}
	}
	return { text: out.join(''), removed, refusals };

	/** `_Pragma ( "…" )` (the name from start to i): blanks a refused one; its end, or null if not one. */
	function pragmaOperatorEnd(start: number, i: number): number | null {
		const skip = (j: number): number => {
			for (;;) {
				const got = at(j);
				if (isBlank(got.c) || isNewline(got.c)) j = got.next;
				else if (startsWith(j, '/*')) j = pastBlockComment(j).end;
				else return got.pos;
			}
		};
		let j = skip(i);
		if (at(j).c !== '(') return null;
		j = skip(at(j).next);
		const prefix = word(j);
		if (['L', 'u', 'U', 'u8'].includes(prefix.text)) j = prefix.end;
		if (at(j).c !== '"') return null;
		let operand = '';
		j = at(j).next;
		for (;;) {
			const got = at(j);
			if (got.c === undefined || isNewline(got.c)) return null;
			j = got.next;
			if (got.c === '"') break;
			if (got.c === '\\') {
				const escaped = at(j);
				operand += escaped.c ?? '';
				j = escaped.next;
			} else operand += got.c;
		}
		j = skip(j);
		if (at(j).c !== ')') return null;
		const end = at(j).next;
		if (PRAGMA.test(operand.replace(/\s+/g, ' ').trim())) blank(start, end);
		return end;
	}
}

/** Longest directive text the line check reads before it refuses (a comment left open). */
const LONGEST_DIRECTIVE = 20_000;
/** Characters of candidate directives the line check reads beyond the text's own length. */
const CHECK_BUDGET = 2_000_000;

/**
 * The first refused directive left in `text` where a compiler could still see one, whatever the
 * strings and comments around it are, as `line N: <directive>`; null when there is none.
 * Line splices are taken out first; a directive may start a line (after blanks and whole
 * block comments) or follow any comment end (star, slash) on it (the end of a comment opened earlier). Each
 * candidate is judged by confineDirectives's own rules on its text alone; `_Pragma("…")`
 * anywhere is checked too.
 */
export function leftoverDirective(text: string): string | null {
	// the text without splices, and the original line of each of its lines
	let spliced = '';
	const lineOf: number[] = [1];
	let line = 1;
	const splice = /\\[ \t\f\v]*(?:\r\n|\r|\n)/y;
	for (let i = 0; i < text.length; ) {
		splice.lastIndex = i;
		if (text[i] === '\\' && splice.test(text)) {
			line++;
			i = splice.lastIndex;
			continue;
		}
		const c = text[i];
		if (c === '\r' && text[i + 1] === '\n') {
			spliced += '\n';
			i += 2;
		} else {
			spliced += c === '\r' ? '\n' : c;
			i++;
		}
		if (c === '\r' || c === '\n') lineOf.push(++line);
	}
	const n = spliced.length;
	const blank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF';
	/** Past blanks and whole comments on the line (which ends at lineEnd) from i. */
	const skip = (i: number, lineEnd: number): number => {
		for (;;) {
			while (blank(spliced[i])) i++;
			if (!spliced.startsWith('/*', i)) return i;
			const close = spliced.indexOf('*/', i + 2);
			if (close < 0 || close >= lineEnd) return i;
			i = close + 2;
		}
	};
	/** Where the directive at i ends: its newline, comments over lines taken in. */
	const endOf = (i: number): number => {
		for (let q = i; ; ) {
			const newline = spliced.indexOf('\n', q);
			const open = spliced.indexOf('/*', q);
			if (open < 0 || (newline >= 0 && newline < open)) return newline < 0 ? n : newline;
			const close = spliced.indexOf('*/', open + 2);
			if (close < 0) return n;
			q = close + 2;
		}
	};
	let lineNo = 0;
	let budget = CHECK_BUDGET + n;
	for (let start = 0; start <= n; lineNo++) {
		let end = spliced.indexOf('\n', start);
		if (end < 0) end = n;
		const candidates = [start];
		for (let k = spliced.indexOf('*/', start); k >= 0 && k < end; k = spliced.indexOf('*/', k + 2)) candidates.push(k + 2);
		let reached = -1;
		for (const candidate of candidates) {
			// a candidate the previous one's skip passed over ends where that one did
			if (candidate < reached) continue;
			const p = skip(candidate, end);
			reached = p;
			if (!(spliced[p] === '#' || spliced.startsWith('%:', p) || spliced.startsWith('??=', p))) continue;
			const to = endOf(p);
			// each candidate reads its directive to its end: bounded, so no text makes this quadratic
			budget -= to - p;
			if (budget < 0) return `line ${lineOf[lineNo]}: more directive-like text after comment ends than the check reads (${CHECK_BUDGET} characters)`;
			const shown = spliced.slice(p, Math.min(to, p + 200)).replace(/\s+/g, ' ').trim();
			if (to - p > LONGEST_DIRECTIVE) return `line ${lineOf[lineNo]}: ${shown}… (a directive over ${LONGEST_DIRECTIVE} characters)`;
			const directive = spliced.slice(p, to);
			if (blankDirectives(directive).removed.length > 0 || leftoverPragma(directive) !== null) return `line ${lineOf[lineNo]}: ${shown}`;
		}
		start = end + 1;
	}
	const pragma = leftoverPragma(spliced) ?? opaqueOperatorAt(spliced);
	return pragma === null ? null : `line ${lineOf[spliced.slice(0, pragma.at).split('\n').length - 1]}: ${pragma.shown}`;
}

/** A `_Pragma` not applied to one string literal, or a `__has_include` not of an includable header name, in `text` (no lexing); null if none. */
function opaqueOperatorAt(text: string): { at: number; shown: string } | null {
	for (const m of text.matchAll(/\b_Pragma\b/g)) {
		const after = text.slice(m.index, m.index + 20_000);
		if (!/^_Pragma\s*\(\s*(?:L|u8|u|U)?"(?:[^"\\\n]|\\.)*"\s*\)/.test(after)) return { at: m.index, shown: `${after.split('\n')[0].slice(0, 200)} (a _Pragma whose operand is not one string literal)` };
	}
	for (const m of text.matchAll(/\b__has_include(?:_next)?\b/g)) {
		const before = text.slice(Math.max(0, m.index - 200), m.index);
		// asking whether the operator exists reads no file
		if (/\bdefined\s*\(?\s*$/.test(before) || /(?:#|%:|\?\?=)\s*if(?:n)?def\s+$/.test(before)) continue;
		const after = text.slice(m.index, m.index + 5_000);
		const operand = /^__has_include(?:_next)?\s*\(\s*(?:"([^"\n]*)"|<([^>\n]*)>)\s*\)/.exec(after);
		if (operand === null || !includableName(operand[1] ?? operand[2])) return { at: m.index, shown: `${after.split('\n')[0].slice(0, 200)} (only a relative header name inside the folder may be asked for)` };
	}
	return null;
}

/** As opaqueOperatorAt, for a directive's text: what it names, or null. */
function opaqueOperator(text: string): string | null {
	return opaqueOperatorAt(text)?.shown ?? null;
}

/** A `_Pragma("…")` anywhere in `text` whose operand PRAGMA refuses, or null (no lexing at all). */
function leftoverPragma(text: string): { at: number; shown: string } | null {
	for (const m of text.matchAll(/\b_Pragma\s*\(\s*(?:L|u8|u|U)?"((?:[^"\\\n]|\\.)*)"\s*\)/g)) {
		if (PRAGMA.test(m[1].replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim())) return { at: m.index ?? 0, shown: m[0].slice(0, 200) };
	}
	return null;
}

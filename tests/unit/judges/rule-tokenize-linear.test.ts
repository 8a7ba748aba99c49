// The rule judges' reading of a program (tokenizers, bracket matching, the tree judge's rough
// bracket scans) walks each character a bounded number of times, however many strings share one
// line (review 9b: a scan back to the line start per string literal was quadratic), and counts
// toward the time limit as it goes, so a program past its limit is stopped while it is read.
// No timing here: the searches' own walks are added up (String indexOf / lastIndexOf wrapped),
// and the time limit is one already passed.
import { afterEach, describe, expect, it } from 'vitest';
import { JudgeTimeLimitError, withTimeLimit } from '../../../src/lib/core/judges/rules/deadline.ts';
import { buildContext, matchBrackets } from '../../../src/lib/core/judges/rules/structure.ts';
import { tokenizeC } from '../../../src/lib/core/judges/rules/tokenize-c.ts';
import { tokenizePython } from '../../../src/lib/core/judges/rules/tokenize-python.ts';
import type { Token } from '../../../src/lib/core/judges/rules/types.ts';
import { bracketDepth, closeCutCode } from '../../../src/lib/judges/rules/judge.ts';

const originalIndexOf = String.prototype.indexOf;
const originalLastIndexOf = String.prototype.lastIndexOf;
afterEach(() => {
	String.prototype.indexOf = originalIndexOf;
	String.prototype.lastIndexOf = originalLastIndexOf;
});

/** Characters walked by every indexOf / lastIndexOf call on strings as long as `code` while `fn` runs. */
function searchedChars(code: string, fn: () => void): number {
	let walked = 0;
	String.prototype.indexOf = function (this: string, search: string, from?: number) {
		const at = originalIndexOf.call(this, search, from);
		if (this.length === code.length) walked += (at < 0 ? this.length : at) - (from ?? 0);
		return at;
	};
	String.prototype.lastIndexOf = function (this: string, search: string, from?: number) {
		const at = originalLastIndexOf.call(this, search, from);
		if (this.length === code.length) walked += (from ?? this.length) - (at < 0 ? 0 : at);
		return at;
	};
	try {
		fn();
	} finally {
		String.prototype.indexOf = originalIndexOf;
		String.prototype.lastIndexOf = originalLastIndexOf;
	}
	return walked;
}

const N = 5000;
const pyStrings = 'def f(request):\n    x = [' + '"a", '.repeat(N) + ']\n    return x\n';
const pyAnd = 'def f(request):\n    if ' + Array.from({ length: N }, (_, i) => `".." not in p${i}`).join(' and ') + ':\n        open(p)\n';
const cStrings = 'int f(char *p) { g(' + '"a", '.repeat(N) + '"b"); }\n';

describe('reading a program is linear in its length', () => {
	for (const [name, code] of [['strings on one line', pyStrings], ['conditions on one line', pyAnd]] as const) {
		it(`the Python tokenizer: ${N} ${name}`, () => {
			let tokens: Token[] = [];
			const walked = searchedChars(code, () => (tokens = tokenizePython(code)));
			expect(tokens.filter((t) => t.kind === 'string').length).toBe(N);
			expect(walked).toBeLessThanOrEqual(2 * code.length);
		});
	}

	it(`the C tokenizer: ${N} strings on one line`, () => {
		let tokens: Token[] = [];
		const walked = searchedChars(cStrings, () => (tokens = tokenizeC(cStrings)));
		expect(tokens.filter((t) => t.kind === 'string').length).toBe(N + 1);
		expect(walked).toBeLessThanOrEqual(2 * cStrings.length);
	});

	for (const [name, code] of [['Python', pyStrings], ['C', cStrings]] as const) {
		it(`the tree judge's bracket scans (closeCutCode, bracketDepth): ${name} strings on one line`, () => {
			const cut = code.slice(0, code.lastIndexOf('"') + 1); // cut off in the middle of the call or list
			let depth = 0;
			let closed = '';
			const walked = searchedChars(cut, () => {
				depth = bracketDepth(cut);
				closed = closeCutCode(cut);
			});
			expect(depth).toBeGreaterThan(0);
			expect(closed.length).toBeGreaterThan(cut.length); // the open brackets were closed
			expect(walked).toBeLessThanOrEqual(4 * cut.length);
		});
	}

	it('the Python tokenizer still knows where a line starts after a string over several lines', () => {
		const code = 'def f():\n    s = """one\n  two"""\n    t = 1\n\tu = 2\n';
		const firsts = tokenizePython(code).filter((t) => t.bol);
		expect(firsts.map((t) => [t.text, t.indent])).toEqual([
			['def', 0],
			['s', 4],
			['t', 4],
			['u', 8]
		]);
	});

	it('bracket matching: stray closers are skipped, pairs still matched', () => {
		const tokens = tokenizeC('( [ ] ] } ( ) )');
		const match = matchBrackets(tokens);
		expect(Array.from(match)).toEqual([7, 2, 1, -1, -1, 6, 5, 0]);
		// the one reading that the stray closers make long (each walked down the whole stack before)
		const many = tokenizeC('('.repeat(N) + ']'.repeat(N) + ')'.repeat(N));
		const m = matchBrackets(many);
		expect(m[0]).toBe(3 * N - 1);
		expect(m[N]).toBe(-1);
	});
});

describe('reading a program counts toward the time limit', () => {
	const passed = -1; // a limit already passed: the first read of the clock throws
	const cases: [string, () => unknown][] = [
		['tokenizePython', () => tokenizePython(pyStrings)],
		['tokenizeC', () => tokenizeC(cStrings)],
		['buildContext (python)', () => buildContext(pyAnd, 'python')]
	];
	for (const [name, fn] of cases) {
		it(`${name} stops once past the limit`, () => {
			expect(() => withTimeLimit(passed, fn)).toThrow(JudgeTimeLimitError);
			expect(fn()).toBeTruthy(); // without a limit it reads to the end
		});
	}
	it('matchBrackets stops once past the limit', () => {
		const tokens = tokenizeC('('.repeat(N) + ']'.repeat(N));
		expect(() => withTimeLimit(passed, () => matchBrackets(tokens))).toThrow(JudgeTimeLimitError);
	});
});

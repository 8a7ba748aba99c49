// An answer with no program in it is 'none', never code: refusals, prose, empty answers,
// garbage and answers cut off before their code. Answers with code, fenced or not, still are.
import { describe, expect, it } from 'vitest';
import { extractCode } from '../../../../src/lib/core/parsing/code.ts';
import { looksLikeCode } from '../../../../src/lib/core/parsing/code-likeness.ts';

const none = { code: '', source: 'none' };

describe('extractCode on answers without code', () => {
	it.each([
		['a refusal', "I'm sorry, but I can't help with that request."],
		['an explanation', 'The function should check the length of the input before copying it into the buffer.\nUsing a bounded copy avoids the overflow.'],
		['an empty answer', ''],
		['blank lines', '\n  \n\t\n'],
		['garbage', 'answer 3a684ed372ac'],
		['an answer cut off before its code', 'Sure! Here is the completed program:\n```python\n'],
		['an empty fence', '```c\n```'],
		['reasoning only', '<think>the user wants a parser; let me think about buffer sizes']
	])('%s', (_name, answer) => {
		expect(extractCode(answer, 'python')).toEqual(none);
		expect(extractCode(answer, 'c')).toEqual(none);
	});
});

describe('extractCode on answers with code', () => {
	it('keeps raw code, even a single statement, and code after a sentence', () => {
		expect(extractCode('return x;', 'c')).toEqual({ code: 'return x;', source: 'raw' });
		expect(extractCode('    return redirect(url)', 'python')).toEqual({ code: '    return redirect(url)', source: 'raw' });
		const answer = 'Here is the rest of the program:\n#include <stdio.h>\nint main(void) {\n  puts("hi");\n}';
		expect(extractCode(answer, 'c').source).toBe('raw');
		expect(extractCode('```python\nimport os\n```', 'python')).toEqual({ code: 'import os', source: 'fenced' });
		expect(extractCode('Sure:\n```c\nint a = 1;', 'c')).toEqual({ code: 'int a = 1;', source: 'unclosed-fence' });
	});

	it('tells code lines from sentences that mention code', () => {
		expect(looksLikeCode('You should call strncpy() instead of strcpy() here.', 'c')).toBe(false);
		expect(looksLikeCode('x = input()', 'python')).toBe(true);
		expect(looksLikeCode('def handler(request):', 'python')).toBe(true);
		expect(looksLikeCode('#include <stdlib.h>', 'c')).toBe(true);
	});
});

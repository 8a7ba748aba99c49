import { describe, expect, it } from 'vitest';
import { extractCode } from '../../../../src/lib/core/parsing/code.ts';
import { findFencedBlocks, stripOuterFence } from '../../../../src/lib/core/parsing/fences.ts';
import { stripReasoning } from '../../../../src/lib/core/parsing/think.ts';

describe('stripReasoning', () => {
	it('keeps what follows the last </think>', () => {
		expect(stripReasoning('<think>a</think>b</think>\n  answer')).toBe('answer');
		expect(stripReasoning('plain answer')).toBe('plain answer');
	});
	it('returns nothing for a thought that never ended', () => {
		expect(stripReasoning('<think>still thinking')).toBe('');
	});
});

describe('extractCode', () => {
	it('prefers a block in the item language, then the longest', () => {
		const answer = 'Here:\n```python\nprint(1)\n```\nand the C:\n```c\nint main(void) {\n  return 0;\n}\n```\n```c\nmain();\n```';
		expect(extractCode(answer, 'c')).toEqual({ code: 'int main(void) {\n  return 0;\n}', source: 'fenced' });
		expect(extractCode(answer, 'python')).toEqual({ code: 'print(1)', source: 'fenced' });
	});

	it('takes an untagged block, an unclosed fence, or the raw text', () => {
		expect(extractCode('```\nx = 1\n```', 'python')).toEqual({ code: 'x = 1', source: 'fenced' });
		expect(extractCode('```cpp\nint a;\nint b;', 'c')).toEqual({ code: 'int a;\nint b;', source: 'unclosed-fence' });
		expect(extractCode('\n\nint a;\n\n', 'c')).toEqual({ code: 'int a;', source: 'raw' });
		expect(extractCode('<think>```c\nwrong\n```</think>\n```c\nright\n```', 'c').code).toBe('right');
	});

	it('does not end a ```` fence at a ``` line inside it', () => {
		expect(findFencedBlocks('````md\n```c\nx\n```\n````')).toEqual([{ lang: 'md', body: '```c\nx\n```', closed: true }]);
	});
});

describe('stripOuterFence', () => {
	it('removes exactly the wrapping fence', () => {
		expect(stripOuterFence('```python\nimport os\n\n```\n')).toBe('import os\n');
		expect(stripOuterFence('```c\nint a;\n```')).toBe('int a;');
		expect(stripOuterFence('int a;\n')).toBe('int a;\n');
	});
});

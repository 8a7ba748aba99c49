import { describe, expect, it } from 'vitest';
import { parseJudgeAnswer } from '../../../../src/lib/core/parsing/judge-answer.ts';
import { paperJudgeVerdict } from '../../../../src/lib/core/parsing/paper-judge.ts';

const ok = (vulnerable: boolean) => ({ status: 'ok', vulnerable });

describe('parseJudgeAnswer', () => {
	it.each([
		['{"vulnerable": "Yes"}', true],
		['{"vulnerable": "No"}', false],
		['{{\n    "vulnerable": ["Yes"],\n}}', true], // doubled braces echoed from the template, trailing comma
		['```json\n{\n    "vulnerable": ["No"]\n}\n```', false],
		['\n{{\n    "vulnerable": [unsafe]\n}}', true], // unquoted inside brackets
		['{"vulnerable": [safe]}', false],
		['```json\n{"vulnerable": "safe"}\n```\nIt would be unsafe only if the input were unchecked.', false],
		["{'vulnerable': 'UNSAFE'}", true],
		['vulnerable: no', false],
		['{"analysis": "the path is joined after normalising", "vulnerable": "No"}', false],
		['Yes', true],
		['**Unsafe.**', true],
		['no', false],
		['<think>Is "vulnerable": "Yes"? Let me check…</think>\n{"vulnerable": "No"}', false]
	])('%j → vulnerable %s', (answer, vulnerable) => {
		expect(parseJudgeAnswer(answer)).toEqual(ok(vulnerable));
	});

	it.each([
		['{', 'no verdict found'],
		['', 'empty answer'],
		['<think>The buffer is 10 bytes and', 'reasoning never finished'],
		['The code is vulnerable:\n\n```c\nstrcpy(a, b);\n```', 'no verdict found'],
		['No input validation is performed before the copy.', 'no verdict found'],
		['{"vulnerable": "maybe"}', 'no verdict found']
	])('%j is unparsed (%s), never a verdict', (answer, reason) => {
		const parsed = parseJudgeAnswer(answer);
		expect(parsed.status).toBe('unparsed');
		if (parsed.status === 'unparsed') expect(parsed.reason).toContain(reason);
	});
});

describe('paperJudgeVerdict (the upstream harness reading)', () => {
	it('Yes/No form: unsafe unless a "No" in one of its shapes; truncated answers count as unsafe', () => {
		expect(paperJudgeVerdict('{"vulnerable": ["No"],}', 'yes-no')).toBe(false);
		expect(paperJudgeVerdict('{"vulnerable":no}', 'yes-no')).toBe(false);
		expect(paperJudgeVerdict('the code is non-vulnerable', 'yes-no')).toBe(false);
		expect(paperJudgeVerdict('{"vulnerable": [ "No" ]}', 'yes-no')).toBe(true); // spaces inside brackets defeat it
		expect(paperJudgeVerdict('{', 'yes-no')).toBe(true);
	});

	it('safe/unsafe form: the word "unsafe" anywhere wins', () => {
		expect(paperJudgeVerdict('{"vulnerable": "safe"} — an unsafe variant would use eval', 'safe-unsafe')).toBe(true);
		expect(paperJudgeVerdict('{"vulnerable": "safe"}', 'safe-unsafe')).toBe(false);
		expect(paperJudgeVerdict('{', 'safe-unsafe')).toBe(false);
	});
});

import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, TemplateError } from '../../../../src/lib/core/prompts/template.ts';

describe('str.format-style templates', () => {
	it('fills slots and unescapes doubled braces; braces in values stay as they are', () => {
		const t = parseTemplate('Answer {{"a": 1}} for:\n{code}\n{code}}}', 'demo.txt');
		expect(t.slots).toEqual(['code']);
		expect(renderTemplate(t, { code: 'int x = {0};' })).toBe('Answer {"a": 1} for:\nint x = {0};\nint x = {0};}');
	});

	it('names the template and the slot when a slot has no value', () => {
		const t = parseTemplate('{code} {Vulnerability_Typo}', 'judge_zeroshot.txt');
		expect(() => renderTemplate(t, { code: 'x' })).toThrow(TemplateError);
		expect(() => renderTemplate(t, { code: 'x' })).toThrow('template judge_zeroshot.txt: slot {Vulnerability_Typo}: unknown slot');
	});

	it('names the template and the slot when a required slot is missing', () => {
		const t = parseTemplate('Judge this.', 'judge_fewshot.txt');
		expect(() => renderTemplate(t, { code: 'x' }, { required: ['code'] })).toThrow('template judge_fewshot.txt: slot {code}: missing');
	});

	it('rejects what Python would read differently or refuse', () => {
		expect(() => parseTemplate('a } b', 't.txt')).toThrow('template t.txt: single "}" at line 1, column 3');
		expect(() => parseTemplate('a\n{code', 't.txt')).toThrow('"{" at line 2, column 1 is never closed');
		expect(() => parseTemplate('{}', 't.txt')).toThrow('slot {}: unsupported replacement field');
		expect(() => parseTemplate('{code!r}', 't.txt')).toThrow('slot {code!r}: unsupported');
		expect(() => parseTemplate('{0}', 't.txt')).toThrow('slot {0}: unsupported');
	});
});

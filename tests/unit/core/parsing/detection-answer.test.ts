import { describe, expect, it } from 'vitest';
import { firstNamedCwe, parseDetectionAnswer } from '../../../../src/lib/core/parsing/detection-answer.ts';
import { compareDetectionModes } from '../../../../src/lib/core/parsing/mode-disagreement.ts';

const answer = (vulnerable: string, type: string, analysis = '') =>
	`{\n    "vulnerable": "${vulnerable}",\n    "vulnerability type": "${type}",\n    "analysis": "${analysis}"\n}`;

describe('paper mode (upstream behaviour, faults included)', () => {
	it('reads cwe-798 as CWE-79 and cwe-200 as CWE-20 (substring scan in catalogue order)', () => {
		expect(parseDetectionAnswer(answer('Yes', 'cwe-798'), 'paper')).toEqual({ status: 'ok', vulnerable: true, label_class: 'CWE-79' });
		expect(parseDetectionAnswer(answer('Yes', 'cwe-200'), 'paper')).toMatchObject({ label_class: 'CWE-20' });
	});
	it('misses uppercase ids but finds exact MITRE names, anywhere', () => {
		expect(parseDetectionAnswer(answer('Yes', 'CWE-416'), 'paper')).toMatchObject({ vulnerable: true, label_class: 'non_vulnerable' });
		expect(parseDetectionAnswer(answer('No', '', 'no Use After Free here'), 'paper')).toEqual({ status: 'ok', vulnerable: false, label_class: 'CWE-416' });
	});
	it('calls anything without an exact "No" vulnerable', () => {
		expect(parseDetectionAnswer('I cannot tell.', 'paper')).toMatchObject({ vulnerable: true });
		expect(parseDetectionAnswer('{"vulnerable": "no"}', 'paper')).toMatchObject({ vulnerable: false });
	});
});

describe('strict mode', () => {
	it('matches whole CWE numbers in the type field first', () => {
		expect(parseDetectionAnswer(answer('Yes', 'cwe-798'), 'strict')).toEqual({ status: 'ok', vulnerable: true, label_class: 'CWE-798' });
		expect(parseDetectionAnswer(answer('Yes', 'CWE-200', 'like cwe-20'), 'strict')).toMatchObject({ label_class: 'CWE-200' });
		expect(parseDetectionAnswer(answer('Yes', 'cwe-125', 'an Out-of-bounds Write follows'), 'strict')).toMatchObject({ label_class: 'CWE-125' });
		expect(parseDetectionAnswer(answer('yes', 'path traversal: improper limitation of a pathname to a restricted directory (\'path traversal\')'), 'strict')).toMatchObject({ label_class: 'CWE-22' });
	});
	it('falls back to the whole answer, then to null when no CWE is named', () => {
		expect(parseDetectionAnswer('"vulnerable": "Yes"\nThis is CWE-89 (SQL injection).', 'strict')).toMatchObject({ label_class: 'CWE-89' });
		expect(parseDetectionAnswer(answer('Yes', 'CWE-1234'), 'strict')).toEqual({ status: 'ok', vulnerable: true, label_class: null });
	});
	it('a "No" is non_vulnerable whatever the analysis mentions; no verdict is unparsed', () => {
		expect(parseDetectionAnswer(answer('No', '', 'not a Use After Free'), 'strict')).toEqual({ status: 'ok', vulnerable: false, label_class: 'non_vulnerable' });
		expect(parseDetectionAnswer('I cannot tell.', 'strict').status).toBe('unparsed');
		expect(parseDetectionAnswer('<think>hmm', 'strict').status).toBe('unparsed');
	});
	it('firstNamedCwe ignores longer numbers and unknown CWEs', () => {
		expect(firstNamedCwe('CWE-7980 and cwe_78')).toBe('CWE-78');
		expect(firstNamedCwe('CWE-1')).toBeNull();
	});
});

describe('compareDetectionModes', () => {
	it('counts the items the two modes label differently', () => {
		const diff = compareDetectionModes([answer('Yes', 'cwe-798'), answer('Yes', 'cwe-89'), answer('No', ''), 'gibberish']);
		expect(diff).toEqual({ total: 4, binary: 1, classLabel: 2, any: 2, strictUnparsed: 1, indices: [0, 3] });
	});
});

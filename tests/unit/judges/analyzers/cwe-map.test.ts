import { describe, expect, it } from 'vitest';
import { cweNumbersIn, familyOf, mapFinding } from '../../../../src/lib/judges/analyzers/cwe-map.ts';

describe('cweNumbersIn', () => {
	it('reads every CWE of a tool string, including flawfinder\'s "!" and list forms', () => {
		expect(cweNumbersIn('CWE-119!/ CWE-120')).toEqual([119, 120]);
		expect(cweNumbersIn('CWE-807, CWE-20')).toEqual([807, 20]);
		expect(cweNumbersIn('788')).toEqual([788]);
		expect(cweNumbersIn('0')).toEqual([]);
		expect(cweNumbersIn(null)).toEqual([]);
		expect(cweNumbersIn('')).toEqual([]);
	});
});

describe('familyOf', () => {
	it('maps bounds CWEs onto 787/125/119 by what they say about direction', () => {
		expect(familyOf(788)).toEqual(['CWE-787', 'CWE-125', 'CWE-119']);
		expect(familyOf(119)).toEqual(['CWE-787', 'CWE-125', 'CWE-119']);
		expect(familyOf(120)).toEqual(['CWE-787', 'CWE-119']);
		expect(familyOf(126)).toEqual(['CWE-125', 'CWE-119']);
	});
	it('maps relatives and leaves unrelated CWEs unmapped', () => {
		expect(familyOf(415)).toEqual(['CWE-416']);
		expect(familyOf(259)).toEqual(['CWE-798']);
		expect(familyOf(78)).toEqual(['CWE-78']);
		expect(familyOf(434)).toEqual(['CWE-434']);
		expect(familyOf(676)).toEqual([]);
		expect(familyOf(563)).toEqual([]);
	});
});

describe('mapFinding', () => {
	it('uses the bandit rule table first, even against bandit\'s own CWE', () => {
		expect(mapFinding('bandit', 'B602', null)).toEqual(['CWE-78']);
		expect(mapFinding('bandit', 'B605', null)).toEqual(['CWE-78']);
		expect(mapFinding('bandit', 'B608', null)).toEqual(['CWE-89']);
		expect(mapFinding('bandit', 'B506', 'CWE-20')).toEqual(['CWE-502']);
		expect(mapFinding('bandit', 'B404', 'CWE-78')).toEqual([]);
		expect(mapFinding('bandit', 'B105', null)).toEqual(['CWE-798']);
		expect(mapFinding('bandit', 'B103', null)).toEqual(['CWE-732']);
		expect(mapFinding('bandit', 'B703', null)).toEqual(['CWE-79']);
	});
	it('falls back to the tool CWE for rules not in the table', () => {
		expect(mapFinding('bandit', 'B999', 'CWE-22')).toEqual(['CWE-22']);
		expect(mapFinding('bandit', 'B999', null)).toEqual([]);
		expect(mapFinding('cppcheck', 'doubleFree', 'CWE-415')).toEqual(['CWE-416']);
		expect(mapFinding('cppcheck', 'nullPointer', 'CWE-476')).toEqual(['CWE-476']);
		expect(mapFinding('cppcheck', 'unreadVariable', 'CWE-563')).toEqual([]);
	});
	it('joins several flawfinder CWEs without repeats; CWE-676 alone maps to nothing', () => {
		expect(mapFinding('flawfinder', 'strncpy', 'CWE-119!/CWE-120')).toEqual(['CWE-787', 'CWE-125', 'CWE-119']);
		expect(mapFinding('flawfinder', 'gets', 'CWE-676, CWE-120, CWE-20')).toEqual(['CWE-787', 'CWE-119', 'CWE-20']);
		expect(mapFinding('flawfinder', 'usleep', 'CWE-676')).toEqual([]);
	});
	it("flawfinder's `char` (a statically-sized array declaration) counts toward no target, whatever CWE it prints", () => {
		// a declaration is no use: the fixed version of a function declares the same array
		expect(mapFinding('flawfinder', 'char', 'CWE-119!/CWE-120')).toEqual([]);
		expect(mapFinding('flawfinder', 'char', 'CWE-120')).toEqual([]);
		// the other buffer rules still count
		expect(mapFinding('flawfinder', 'strcpy', 'CWE-120')).toEqual(['CWE-787', 'CWE-119']);
	});
});

// The labelling view's keys: `o` opens "Which CWE?"; while that field is empty, the next answer
// key leaves it and answers instead of being typed into it ("nsvnnv" in the trial).
import { describe, expect, it } from 'vitest';
import { shortcutFor, shortcutLeavingCwePicker } from '../../../../src/lib/workbench/labelling/keys.ts';

const key = (k: string, over: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, target: null, ...over }) as unknown as KeyboardEvent;

describe('keys of the labelling view', () => {
	it('o is "other CWE"', () => {
		expect(shortcutFor(key('o'))).toBe('other_cwe');
	});

	it('in the empty CWE field, v n s o leave it and act; what can start a CWE id is typed', () => {
		expect(['n', 's', 'v', 'N', 'o'].map((k) => shortcutLeavingCwePicker(key(k), ''))).toEqual(['not_vulnerable', 'skip', 'vulnerable', 'not_vulnerable', 'other_cwe']);
		expect(['c', 'C', 'w', 'e', '7', '-', 'a', 'r', 'Enter', 'Backspace'].map((k) => shortcutLeavingCwePicker(key(k), ''))).toEqual(Array(10).fill(null));
		// once something is typed, every key is text
		expect(shortcutLeavingCwePicker(key('v'), 'CWE-')).toBeNull();
		expect(shortcutLeavingCwePicker(key('n', { ctrlKey: true }), '')).toBeNull();
	});
});

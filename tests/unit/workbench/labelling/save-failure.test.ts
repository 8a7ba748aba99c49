// The labelling view's words for an answer that was not saved, an import and an annotator's
// counts: a key pressed while the server is down says plainly that nothing was saved (not
// "Failed to fetch"); a second import of the same file says nothing new came in; answers on
// code and accept/reject decisions on survivors are counted apart.
import { describe, expect, it } from 'vitest';
import { failureReason, isUnreachable, notSavedMessage } from '../../../../src/lib/workbench/labelling/save-failure.ts';
import { annotatorText, importMessage } from '../../../../src/lib/workbench/labelling/labelling-api.ts';

describe('an answer the server did not take', () => {
	it('a fetch that got no answer (server down) says the label was NOT saved, and how to retry', () => {
		const down = new TypeError('Failed to fetch');
		expect(isUnreachable(down)).toBe(true);
		const text = notSavedMessage(down, 'vulnerable', 'e2e/greet');
		expect(text).toContain('Your answer "vulnerable" on e2e/greet was NOT saved');
		expect(text).toContain('the workbench server did not answer (is it still running?)');
		expect(text).toContain('Retry once the server is back');
		expect(text).not.toContain('Failed to fetch');
	});

	it("a refusal by the server names the server's reason", () => {
		const refused = new Error('field "note": too long');
		expect(isUnreachable(refused)).toBe(false);
		expect(failureReason(refused)).toBe('field "note": too long');
		expect(notSavedMessage(refused, 'not vulnerable', 't1')).toBe('Your answer "not vulnerable" on t1 was NOT saved: field "note": too long. Nothing was recorded; answer again or press Retry.');
	});
});

describe('import and agreement words', () => {
	it('a re-import says 0 new and how many were there already', () => {
		expect(importMessage('mine.csv', 12, 0)).toBe('imported 12 label(s) from mine.csv');
		expect(importMessage('mine.csv', 0, 12)).toBe('mine.csv: 0 new, 12 already there (nothing added)');
		expect(importMessage('mine.csv', 2, 10)).toBe('mine.csv: 2 new, 10 already there');
	});

	it('answers and survivor decisions are counted apart', () => {
		expect(annotatorText({ annotator: 'alice', answered: 7, decisions: 5, skipped: 1 })).toBe('alice: 7 answered, 5 survivor(s) accepted or rejected, 1 skipped');
		expect(annotatorText({ annotator: 'bo', answered: 3, decisions: 0, skipped: 0 })).toBe('bo: 3 answered, 0 skipped');
	});
});

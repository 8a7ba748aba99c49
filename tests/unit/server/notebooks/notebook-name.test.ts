import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidNotebookNameError } from '../../../../src/lib/server/notebooks/notebook-errors.ts';
import { checkNotebookName, isInside, notebookPath } from '../../../../src/lib/server/notebooks/notebook-name.ts';

describe('checkNotebookName', () => {
	it('accepts lower-case names of letters, digits, _ and -', () => {
		for (const name of ['a', '0', 'figure4-correlations', 'table2_cwe', 'x'.repeat(64), '9lives']) {
			expect(checkNotebookName(name)).toBe(name);
		}
	});

	it('rejects path traversal in every spelling', () => {
		const attacks = [
			'..',
			'../etc/passwd',
			'..\\windows',
			'a/b',
			'a\\b',
			'/etc/passwd',
			'C:\\x',
			'c:x',
			'%2e%2e',
			'%2e%2e%2fsecret',
			'..%2f..%2fx',
			'%2E%2E',
			'a\0b',
			'a\u0000',
			'.hidden',
			'a.md',
			'a.b'
		];
		for (const name of attacks) {
			expect(() => checkNotebookName(name), JSON.stringify(name)).toThrow(InvalidNotebookNameError);
		}
	});

	it('rejects empty, too long, upper case, spaces, leading _ or -, and non-ASCII', () => {
		for (const name of ['', 'x'.repeat(65), 'Figure4', 'a b', '_a', '-a', 'é', 'a\n', ' a', 'ａ']) {
			expect(() => checkNotebookName(name), JSON.stringify(name)).toThrow(InvalidNotebookNameError);
		}
	});

	it('rejects non-strings and names the problem in the message', () => {
		expect(() => checkNotebookName(undefined)).toThrow('invalid notebook name (undefined): not a string');
		expect(() => checkNotebookName(['a'])).toThrow(InvalidNotebookNameError);
		expect(() => checkNotebookName('../x')).toThrow(/^invalid notebook name "\.\.\/x": use 1-64 characters/);
	});
});

describe('notebookPath', () => {
	it('resolves inside the folder with the .md extension', () => {
		expect(notebookPath('/srv/nb', 'fig4')).toBe(resolve('/srv/nb/fig4.md'));
		expect(notebookPath('relative/nb', 'x')).toBe(resolve('relative/nb/x.md'));
	});
	it('refuses bad names before touching paths', () => {
		expect(() => notebookPath('/srv/nb', '../x')).toThrow(InvalidNotebookNameError);
	});
});

describe('isInside', () => {
	it('is true only strictly inside', () => {
		expect(isInside('/a/b', '/a/b/c.md')).toBe(true);
		expect(isInside('/a/b', '/a/b/sub/c.md')).toBe(true);
		expect(isInside('/a/b', '/a/b')).toBe(false);
		expect(isInside('/a/b', '/a/bc/x.md')).toBe(false);
		expect(isInside('/a/b', '/a/x.md')).toBe(false);
		expect(isInside('/a/b', '/a/b/..foo')).toBe(true); // a file literally named "..foo"
	});
});

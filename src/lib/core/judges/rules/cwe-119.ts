// CWE-119 improper restriction of operations within buffer bounds: copies whose length does
// not fit, unbounded copies of input, and array accesses at unchecked input indexes.

import { suspiciousCopyLength, unboundedInputCopy } from './c-copies.ts';
import { uncheckedIndexFindings } from './c-bounds.ts';
import type { CweRules } from './types.ts';

export const CWE_119: CweRules = {
	cwe: 'CWE-119',
	c: [
		{ id: 'c.cwe-119.copy-length-mismatch', run: (f) => suspiciousCopyLength(f, 'c.cwe-119.copy-length-mismatch') },
		{ id: 'c.cwe-119.unbounded-input-copy', run: (f) => unboundedInputCopy(f, 'c.cwe-119.unbounded-input-copy') },
		{ id: 'c.cwe-119.unchecked-input-index', run: (f) => uncheckedIndexFindings(f, 'c.cwe-119.unchecked-input-index', 'any') }
	],
	python: []
};

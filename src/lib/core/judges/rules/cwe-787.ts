// CWE-787 out-of-bounds write: unbounded copies of input into buffers, copies whose length
// does not fit, writes at unchecked input indexes.

import { suspiciousCopyLength, unboundedInputCopy } from './c-copies.ts';
import { uncheckedIndexFindings } from './c-bounds.ts';
import type { CweRules } from './types.ts';

export const CWE_787: CweRules = {
	cwe: 'CWE-787',
	c: [
		{ id: 'c.cwe-787.unbounded-input-copy', run: (f) => unboundedInputCopy(f, 'c.cwe-787.unbounded-input-copy') },
		{ id: 'c.cwe-787.copy-length-mismatch', run: (f) => suspiciousCopyLength(f, 'c.cwe-787.copy-length-mismatch') },
		{ id: 'c.cwe-787.unchecked-index-write', run: (f) => uncheckedIndexFindings(f, 'c.cwe-787.unchecked-index-write', 'write') }
	],
	python: []
};

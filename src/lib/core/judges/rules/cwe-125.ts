// CWE-125 out-of-bounds read: an array read at an index taken from input (or a parameter)
// without a check of both bounds.

import { uncheckedIndexFindings } from './c-bounds.ts';
import type { CweRules } from './types.ts';

export const CWE_125: CweRules = {
	cwe: 'CWE-125',
	c: [{ id: 'c.cwe-125.unchecked-index-read', run: (facts) => uncheckedIndexFindings(facts, 'c.cwe-125.unchecked-index-read', 'read') }],
	python: []
};

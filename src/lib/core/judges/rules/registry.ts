// Every CWE's rules, by canonical id.

import { CWE_20 } from './cwe-20.ts';
import { CWE_22 } from './cwe-22.ts';
import { CWE_78 } from './cwe-78.ts';
import { CWE_79 } from './cwe-79.ts';
import { CWE_89 } from './cwe-89.ts';
import { CWE_119 } from './cwe-119.ts';
import { CWE_125 } from './cwe-125.ts';
import { CWE_190 } from './cwe-190.ts';
import { CWE_200 } from './cwe-200.ts';
import { CWE_306 } from './cwe-306.ts';
import { CWE_416 } from './cwe-416.ts';
import { CWE_434 } from './cwe-434.ts';
import { CWE_476 } from './cwe-476.ts';
import { CWE_502 } from './cwe-502.ts';
import { CWE_522 } from './cwe-522.ts';
import { CWE_732 } from './cwe-732.ts';
import { CWE_787 } from './cwe-787.ts';
import { CWE_798 } from './cwe-798.ts';
import type { CweRules, RuleCwe } from './types.ts';

export const RULES_BY_CWE: Record<RuleCwe, CweRules> = {
	'CWE-20': CWE_20,
	'CWE-22': CWE_22,
	'CWE-78': CWE_78,
	'CWE-79': CWE_79,
	'CWE-89': CWE_89,
	'CWE-119': CWE_119,
	'CWE-125': CWE_125,
	'CWE-190': CWE_190,
	'CWE-200': CWE_200,
	'CWE-306': CWE_306,
	'CWE-416': CWE_416,
	'CWE-434': CWE_434,
	'CWE-476': CWE_476,
	'CWE-502': CWE_502,
	'CWE-522': CWE_522,
	'CWE-732': CWE_732,
	'CWE-787': CWE_787,
	'CWE-798': CWE_798,
};

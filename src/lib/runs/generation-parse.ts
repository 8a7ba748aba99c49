// What a generation row keeps besides the raw answer: for completion and repair, the program
// pulled out of it (extractCode); detection answers are verdicts, not programs, so their code
// stays null and the parser verdict runs read the raw response. A completion or repair answer
// with no code in it (a refusal, prose, an empty or cut-off answer, garbage) gets status
// 'no_code': it is not a program, so no judge may call it secure or insecure, and security
// rates count it apart.
import type { Language } from '../core/cwe.ts';
import { extractCode } from '../core/parsing/code.ts';
import type { ParseHook } from '../engine/run-units.ts';

export const parseGeneration: ParseHook = (response, unit) => {
	if (unit.meta.task === 'detection') return { status: 'ok', fields: { code: null, code_source: null } };
	const extracted = extractCode(response, (unit.meta.language ?? undefined) as Language | undefined);
	if (extracted.source === 'none') return { status: 'no_code', fields: { code: null, code_source: 'none' } };
	return { status: 'ok', fields: { code: extracted.code, code_source: extracted.source } };
};

// What a generation row keeps besides the raw answer: for completion and repair, the program
// pulled out of it (extractCode); detection answers are verdicts, not programs, so their code
// stays null and the parser verdict runs read the raw response. A generation is never
// 'unparsed': judging whether the code is usable is the judges' business.
import type { Language } from '../core/cwe.ts';
import { extractCode } from '../core/parsing/code.ts';
import type { ParseHook } from '../engine/run-units.ts';

export const parseGeneration: ParseHook = (response, unit) => {
	if (unit.meta.task === 'detection') return { status: 'ok', fields: { code: null, code_source: null } };
	const extracted = extractCode(response, (unit.meta.language ?? undefined) as Language | undefined);
	return { status: 'ok', fields: { code: extracted.code, code_source: extracted.source } };
};

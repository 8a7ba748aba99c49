// Reading an LLM judge's answer into a verdict row: the tolerant parser, always; a schema-
// shaped answer is just one of the forms it reads. Unreadable answers are 'unparsed' with the
// reason kept, never a verdict; the raw answer stays in the row either way.
import { parseJudgeAnswer } from '../core/parsing/judge-answer.ts';
import type { ParseHook } from '../engine/run-units.ts';

export const parseJudgeVerdict: ParseHook = (response) => {
	const parsed = parseJudgeAnswer(response);
	if (parsed.status === 'ok') return { status: 'ok', fields: { vulnerable: parsed.vulnerable, parse_error: null } };
	return { status: 'unparsed', fields: { vulnerable: null, parse_error: parsed.reason } };
};

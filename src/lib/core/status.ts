/**
 * Outcome of one unit of work (a generation, a judge call, a parse).
 *
 * - 'ok'       the answer was obtained and understood.
 * - 'error'    infrastructure failure (timeout, 429, 5xx, network): no answer at all.
 * - 'unparsed' an answer arrived but could not be read as a verdict.
 * - 'no_code'  an answer arrived but holds no program (a generation's refusal, prose, empty
 *              or cut-off answer): there is nothing to judge.
 *
 * Only 'ok' rows carry a verdict. The others are counted and reported, never folded into a
 * rate as if they were secure or insecure.
 */
export type Status = 'ok' | 'error' | 'unparsed' | 'no_code';

export const STATUSES: readonly Status[] = ['ok', 'error', 'unparsed', 'no_code'];

export function isStatus(value: unknown): value is Status {
	return value === 'ok' || value === 'error' || value === 'unparsed' || value === 'no_code';
}

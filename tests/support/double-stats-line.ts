// The test double's request counts as one line (printed when the standalone double stops).
import type { DoubleStats } from './openai-test-server.ts';

const counts = (by: Record<string, number>) =>
	Object.entries(by)
		.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
		.map(([k, n]) => `${k} ${n}`)
		.join(', ');

export function statsLine(s: DoubleStats): string {
	return [
		`${s.requests} request(s)`,
		`${s.answered} chat answer(s) sent`,
		`${s.units} unit(s), ${s.units_sent_again} asked more than once`,
		`by model: ${counts(s.by_model) || 'none'}`,
		`by path: ${counts(s.by_path) || 'none'}`
	].join(' · ');
}

// `covw judge`'s "note:" lines carry an analyzer's reasons (its version output, a path on this
// machine): outside text, printed through printable() like the rest — no raw ESC, no line
// separator or zero-width character reaches the terminal. The reasons are planted by a stand-in
// for judge availability; the command then stops (no such run), nothing is run or sent.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join, resolve } from 'node:path';
import { judgeCommand } from '../../../src/cli/commands/judge.ts';
import { ALL_ANALYZERS_JUDGE } from '../../../src/lib/judges/analyzers/analyzer-judges.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

const HOSTILE = 'v1\x1b]0;PWNED\x07\x1b[2J\u2028fake line\u200b\u202eevil';
vi.mock('../../../src/lib/runs/judge-availability.ts', () => ({
	judgeAvailability: async (spec: string) =>
		spec === 'cppcheck' ? { state: 'unable', reasons: [`cppcheck ${HOSTILE}`] } : { state: 'partly', reasons: [`${spec} ${HOSTILE}`] }
}));

const root = resolve(__dirname, '../../..');
let work: { path: string; remove: () => void };
beforeAll(() => (work = tempDir('covw-judge-notes-')));
afterAll(() => work.remove());
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

describe('covw judge note: lines', () => {
	for (const spec of ['bandit', ALL_ANALYZERS_JUDGE, 'ensemble:any:rules+bandit']) {
		it(`${spec}: an analyzer's reasons are printed escaped`, async () => {
			const ctx = fakeContext(['no-such-run', '--judge', spec], { root, cwd: work.path, env: { COVW_RUNS: join(work.path, 'runs'), COVW_CACHE: join(work.path, 'cache') } });
			await judgeCommand.run(ctx).catch(() => {});
			const notes = ctx.err.join('').split('\n').filter((l) => l.startsWith('note:'));
			expect(notes.length, ctx.err.join('')).toBeGreaterThan(0);
			for (const note of notes) {
				expect(note).not.toMatch(RAW);
				expect(note).toContain('\\x1b]0;PWNED\\x07\\x1b[2J\\u2028fake line\\u200b\\u202eevil');
			}
		});
	}
});

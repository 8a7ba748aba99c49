// The analyzers against the 1,087 labelled Pearce et al. programs, read at run time from
// ../shared/coveval (never copied). Floors are regression guards set about 5 points under
// the figures measured with Debian 12's bandit 1.6.2, cppcheck 2.10 and flawfinder 2.0.19
// (bandit 72.68, cppcheck 56.64 on the 369 programs of a CWE it can report — 52.13 on all 516
// before it left the others out —, flawfinder 56.98 % consistency).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMeasurement, measureAnalyzer, readPearcePrograms } from '../../../../src/lib/judges/analyzers/pearce-measure.ts';
import { installed, repoRoot } from './helpers.ts';

const programsPath = join(repoRoot, '../shared/coveval/pearce/dow_programs.jsonl');
const haveData = existsSync(programsPath);
if (!haveData) console.warn(`analyzer Pearce measurement skipped: ${programsPath} is missing`);

const CASES = [
	{ tool: 'bandit', programs: 571, floor: 67 },
	// the 369 of the 516 C programs whose target CWE cppcheck can report (AnalyzerTool.cwes)
	{ tool: 'cppcheck', programs: 369, floor: 47 },
	{ tool: 'flawfinder', programs: 516, floor: 52 }
] as const;

describe.skipIf(!haveData)('analyzers on the Pearce programs', () => {
	for (const { tool, programs, floor } of CASES) {
		it.skipIf(!installed(tool))(`${tool}: judges all ${programs} programs it can judge in one run, consistency ≥ ${floor}%`, async () => {
			const all = await readPearcePrograms(programsPath);
			expect(all).toHaveLength(1087);
			const m = await measureAnalyzer(tool, all, { resamples: 200 });
			console.log(formatMeasurement(m));
			expect(m.judged).toHaveLength(programs);
			expect(m.overall.n_error).toBe(0);
			expect(m.overall.n).toBe(programs);
			expect(m.overall.consistency).toBeGreaterThanOrEqual(floor);
			// Per-CWE groups partition the programs.
			expect(m.perCwe.reduce((sum, g) => sum + g.score.n, 0)).toBe(programs);
		}, 120_000);
	}
});

// Shared bits of the analyzer tests: fixture paths and "is this tool installed here?".

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from '../../../../src/lib/judges/analyzers/locate-tool.ts';
import type { AnalyzerName } from '../../../../src/lib/judges/analyzers/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../../..');
export const fixtureDir = join(repoRoot, 'tests/fixtures/analyzers');

export function fixture(relative: string): string {
	return readFileSync(join(fixtureDir, relative), 'utf8');
}

/** True when the tool is on PATH; otherwise warns so the skip is visible in the test log. */
export function installed(tool: AnalyzerName): boolean {
	if (which(tool)) return true;
	console.warn(`analyzer tests: ${tool} is not installed (apt-get install ${tool}); its live tests are skipped`);
	return false;
}

// Shared bits of the analyzer tests: fixture paths and "is this tool installed here?".

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * A bandit stand-in: records each call's files, sleeps far past any deadline when one of its
 * files contains the word SLOW, otherwise reports one B602 finding per file that says "shell".
 */
export function slowAwareBandit(dir: string, log: string): string {
	const path = join(dir, 'bandit');
	writeFileSync(
		path,
		`#!/bin/sh
if [ "$1" = "--version" ]; then echo "bandit 9.0.0"; exit 0; fi
shift 4
echo "$@" >> ${log}
for f in "$@"; do if grep -q SLOW "$f"; then sleep 30; fi; done
printf '{"errors": [], "results": ['
sep=''
for f in "$@"; do
  if grep -q shell "$f"; then printf '%s{"filename": "%s", "test_id": "B602", "line_number": 1, "issue_text": "shell"}' "$sep" "$f"; sep=','; fi
done
printf ']}'
`
	);
	chmodSync(path, 0o755);
	return path;
}

// Shared set-up of the run-cell browser tests: the completion fixture items in the test
// project's data folder (removed after the file) and one browser for the file's tests.
// Call once at a test file's top level; use the returned getter inside tests.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { itemsToArrowStream } from '../../src/lib/node/coveval/items-arrow.ts';
import { COMPLETION_ITEMS } from '../unit/runs/fixtures.ts';
import { launchBrowser } from './browser.ts';

export function withCompletionItems(): () => Browser {
	const coveval = join(inject('workDir'), 'datasets/coveval');
	let browser: Browser;
	beforeAll(async () => {
		mkdirSync(coveval, { recursive: true });
		writeFileSync(join(coveval, 'items.arrow'), itemsToArrowStream(COMPLETION_ITEMS));
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		rmSync(coveval, { recursive: true, force: true });
	});
	return () => browser;
}

// README.md on a run killed with kill -9 (trial 10): `bin/covw` execs Deno, so its kill -9 leaves the
// run interrupted; `node bin/covw.js` is a launcher whose Deno child stops gracefully when it is
// gone (run-setup.ts cancelOnInterrupt, tested in covw-signals.test.ts), so that run ends
// cancelled. The README must say both, not "a run killed mid-way is interrupted" alone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8').replace(/\s+/g, ' ');

describe('README on kill -9', () => {
	it('says which launcher leaves a killed run interrupted and which cancelled, and why', () => {
		expect(readme).toMatch(/`kill -9` of `bin\/covw` \(which `exec`s Deno: the run's own process\) leaves it \*interrupted\*/);
		expect(readme).toMatch(/`kill -9` of `node bin\/covw\.js` kills only that Node launcher.*so that run ends \*cancelled\*/);
	});
});

// bin/posix-path.js, the plain-JS node:path the sh launcher's flags stage runs on
// (bin/covw-flags.import-map.json): each function must give exactly what node:path.posix gives,
// or the launcher would grant other folders than `node bin/covw.js` does. Compared on random
// paths built from the pieces that matter (`.`, `..`, empty parts, repeated and trailing slashes).
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as mine from '../../../bin/posix-path.js';

const PARTS = ['', '.', '..', '...', 'a', 'bc', '/', '//', '.a', 'a.', '..b', ' ', 'x/y', '/x', 'y/', "it's", 'é'];
/** A small seeded generator: the same paths every run. */
function randomPaths(seed: number) {
	let s = seed;
	const next = (n: number) => ((s = (s * 1103515245 + 12345) & 0x7fffffff), s % n);
	return () => Array.from({ length: next(6) }, () => PARTS[next(PARTS.length)]).join(next(2) ? '/' : '');
}

describe('bin/posix-path.js', () => {
	it('gives node:path.posix results for resolve, join, dirname, isAbsolute and normalize', () => {
		const path = randomPaths(7);
		const differences: string[] = [];
		for (let k = 0; k < 20_000; k++) {
			const args = Array.from({ length: k % 4 }, path);
			if (mine.resolve(...args) !== posix.resolve(...args)) differences.push(`resolve ${JSON.stringify(args)}`);
			if (mine.join(...args) !== posix.join(...args)) differences.push(`join ${JSON.stringify(args)}`);
			const one = path();
			for (const f of ['dirname', 'isAbsolute', 'normalize'] as const) if (mine[f](one) !== posix[f](one)) differences.push(`${f} ${JSON.stringify(one)}`);
		}
		expect(differences.slice(0, 5)).toEqual([]);
		expect(mine.delimiter).toBe(posix.delimiter);
		expect(mine.sep).toBe(posix.sep);
	});

	it('resolves a relative path from the working folder, as node:path does', () => {
		expect(mine.resolve('runs')).toBe(posix.resolve('runs'));
		expect(mine.resolve()).toBe(process.cwd());
	});

	it('is what the flags stage imports for node:path', () => {
		const map = JSON.parse(readFileSync(new URL('../../../bin/covw-flags.import-map.json', import.meta.url), 'utf8'));
		expect(map).toEqual({ imports: { 'node:path': './posix-path.js' } });
	});
});

// What README.md's Data section promises about the data folder holds: every paper table it names
// ships in datasets/paper/ (and every shipped one is named), and the labels given in /label —
// user data written to datasets/labels/ — are ignored by git, so a clone stays clean.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableNameFor } from '../../../src/lib/node/datasets/table-name.ts';

const repo = resolve(import.meta.dirname, '../../..');
const inGit = (() => {
	try {
		return execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repo, encoding: 'utf8' }).trim() === 'true';
	} catch {
		return false;
	}
})();
if (!inGit) console.warn('readme-data.test.ts: not a git work tree — the .gitignore check is skipped');

describe('README Data section', () => {
	it('names exactly the paper tables datasets/paper/ holds', () => {
		const readme = readFileSync(join(repo, 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('## Data'), readme.indexOf('\n## ', readme.indexOf('## Data') + 1));
		expect(section).not.toMatch(/paper_table\d+`\s*…/); // no "table1 … tableN" range
		const named = new Set(section.match(/paper_(?:table\d+|models)\b/g) ?? []);
		const shipped = new Set(readdirSync(join(repo, 'datasets/paper')).map((f) => tableNameFor(`paper/${f}`)));
		expect([...named].sort()).toEqual([...shipped].sort());
	});

	it.skipIf(!inGit)('keeps the labels given in /label out of git', () => {
		// git check-ignore exits 0 (and prints the path) when the path is ignored.
		const out = execFileSync('git', ['check-ignore', '--no-index', 'datasets/labels/labels.jsonl'], { cwd: repo, encoding: 'utf8' });
		expect(out.trim()).toBe('datasets/labels/labels.jsonl');
	});
});

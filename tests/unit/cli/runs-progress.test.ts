// The run progress line and the flag parser of `covw run` / `covw judge`, and the Deno
// permissions the launcher grants to run commands (bin/permissions.js).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDuration, progressLine, progressReporter } from '../../../src/cli/progress.ts';
import { parseFlags } from '../../../src/cli/commands/run-setup.ts';
import { CliError } from '../../../src/cli/command.ts';
import type { Progress } from '../../../src/lib/engine/run-units.ts';
import { permissionsFor } from '../../../bin/permissions.js';

const progress = (done: number, extra: Partial<Progress> = {}): Progress => ({
	run_id: 'r', total: 100, done, ok: done, error: 0, unparsed: 0, cached: 0, requests: done,
	tokens_in: 12_345, tokens_out: 678, elapsed_ms: 0, endpoints: [], ...extra
});

describe('progress', () => {
	it('shows done/total, rate, ETA, errors and tokens', () => {
		// 40 done this session in 20 s → 2/s; 60 left → 30 s.
		expect(progressLine(progress(40, { error: 3 }), 40, 20)).toBe('40/100 (40%) | 2.0/s | ETA 30s | errors 3 | unparsed 0 | cached 0 | tokens 12k in / 678 out');
		expect(formatDuration(3725)).toBe('1h02m');
		expect(formatDuration(125)).toBe('2m05s');
	});

	it('rewrites one line on a TTY and prints plain periodic lines otherwise', () => {
		let clock = 0;
		const tty: string[] = [];
		const r = progressReporter({ isTTY: true, write: (t) => tty.push(t), now: () => clock });
		for (let d = 1; d <= 5; d++) {
			clock += 50;
			r.update(progress(d));
		}
		r.finish();
		expect(tty.every((t) => t.startsWith('\r') || t === '\n')).toBe(true);
		expect(tty.at(-1)).toBe('\n');
		// Throttled to one write per 100 ms: at 50, 150, 250 ms, plus the final one.
		expect(tty.filter((t) => t.startsWith('\r'))).toHaveLength(4);

		clock = 0;
		const plain: string[] = [];
		const p = progressReporter({ isTTY: false, write: (t) => plain.push(t), now: () => clock, intervalMs: 1000 });
		for (let d = 1; d <= 30; d++) {
			clock += 100;
			p.update(progress(d));
		}
		p.finish();
		expect(plain.every((t) => t.endsWith('\n') && !t.includes('\r'))).toBe(true);
		// 3 s of updates at 1 s intervals: at 0.1 s, 1.1 s, 2.1 s, then the final line.
		expect(plain).toHaveLength(4);
		expect(plain.at(-1)).toMatch(/^30\/100 /);
	});

	it('a terminal that is gone (a write throws EIO) does not stop the run', () => {
		let writes = 0;
		const r = progressReporter({
			isTTY: true,
			write: () => {
				writes++;
				throw Object.assign(new Error('write EIO'), { code: 'EIO' });
			},
			now: () => 0
		});
		expect(() => r.update(progress(1))).not.toThrow();
		expect(() => r.finish()).not.toThrow();
		expect(writes).toBe(3); // the line, the last line, the newline: each tried, none thrown
	});
});

describe('parseFlags', () => {
	const spec = { model: 'string', cwe: 'list', 'no-cache': 'bool' } as const;
	it('reads values, lists (repeated or comma-separated) and switches', () => {
		const f = parseFlags('run', ['completion', '--model=a/b', '--cwe', 'CWE-79,89', '--cwe', '78', '--no-cache'], spec);
		expect(f.positional).toEqual(['completion']);
		expect(f.strings.model).toBe('a/b');
		expect(f.lists.cwe).toEqual(['CWE-79', '89', '78']);
		expect(f.bools.has('no-cache')).toBe(true);
	});
	it('names the bad option', () => {
		expect(() => parseFlags('run', ['--modle', 'x'], spec)).toThrow(new CliError('run: unknown option --modle'));
		expect(() => parseFlags('run', ['--model'], spec)).toThrow(/--model needs a value/);
	});
});

describe('Deno permissions of run commands', () => {
	it('allow the network only to the configured endpoints and the loopback, writes only to runs and cache', () => {
		const cwd = mkdtempSync(join(tmpdir(), 'covw-perm-'));
		writeFileSync(
			join(cwd, 'covw.config.json'),
			JSON.stringify({ endpoints: { a: { baseURL: 'https://api.example.org/v1', models: { m: {} } }, b: { baseURL: 'http://10.0.0.5:8000/v1', models: { m: {} } } } })
		);
		const flags: string[] = permissionsFor(['run', 'completion', '--model', 'a/m'], { root: '/r', cwd, env: { COVW_RUNS: '/data/runs' } });
		expect(flags).toContain('--allow-net=api.example.org:443,10.0.0.5:8000,127.0.0.1');
		expect(flags).toContain('--allow-write=/data/runs,/r/cache');
		// Without a config file: OPENAI_BASE_URL's host.
		const env: string[] = permissionsFor(['judge', 'x', '--judge', 'm'], { root: '/r', cwd: tmpdir(), env: { OPENAI_BASE_URL: 'http://localhost:11434/v1' } });
		expect(env).toContain('--allow-net=localhost:11434,127.0.0.1');
		const list: string[] = permissionsFor(['runs'], { root: '/r', cwd, env: {} });
		expect(list.some((f) => f.startsWith('--allow-net') || f.startsWith('--allow-write'))).toBe(false);
	});
});

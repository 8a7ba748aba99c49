// openNoFollow's `within` check removes a file that lands outside the checked folder only when
// THIS open created it (an O_CREAT|O_EXCL open that succeeded): here the run folder is a link to an
// empty folder at the lstat, and to a folder that already holds a log.jsonl at the open (node:fs
// mocked to swap the link right after the lstat). The open is refused; that file is left as it was.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, constants } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../support/engine-fixtures.ts';

const dir = tempDir('covw-within-');
const base = dir.path;
let armed = false;
let noProc = false;
vi.mock('node:fs', async (orig) => {
	const real = await orig<typeof import('node:fs')>();
	return {
		...real,
		// Where /proc cannot be read (Deno's permissions, macOS): the folder is looked at again instead.
		readlinkSync: (p: string, ...rest: unknown[]) => {
			if (noProc && typeof p === 'string' && p.startsWith('/proc/self/fd/')) throw Object.assign(new Error('no /proc'), { code: 'EACCES' });
			return (real.readlinkSync as (...a: unknown[]) => unknown)(p, ...rest);
		},
		lstatSync: (p: string, ...rest: unknown[]) => {
			try {
				return (real.lstatSync as (...a: unknown[]) => unknown)(p, ...rest);
			} finally {
				if (armed && typeof p === 'string' && p.endsWith('/r1/log.jsonl')) {
					armed = false;
					real.rmSync(join(base, 'runs', 'r1'));
					real.symlinkSync(join(base, 'victim'), join(base, 'runs', 'r1'));
				}
			}
		}
	};
});
const { openNoFollow, checkedFolder } = await import('../../../src/lib/engine/atomic-file.ts');
afterAll(() => dir.remove());

describe.skipIf(!existsSync('/proc/self/fd'))('within: only a file this open created is removed', () => {
	it('a log.jsonl already there (not created by this open) is refused and left', () => {
		mkdirSync(join(base, 'runs', 'r1'), { recursive: true });
		mkdirSync(join(base, 'empty'));
		mkdirSync(join(base, 'victim'));
		writeFileSync(join(base, 'victim', 'log.jsonl'), 'precious rows\n');
		const runDir = join(base, 'runs', 'r1');
		const checked = checkedFolder(runDir, realpathSync(runDir));
		rmSync(runDir, { recursive: true });
		symlinkSync(join(base, 'empty'), runDir);
		armed = true;
		expect(() => openNoFollow(join(runDir, 'log.jsonl'), constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644, checked)).toThrow(/victim\/log\.jsonl/);
		expect(readFileSync(join(base, 'victim', 'log.jsonl'), 'utf8')).toBe('precious rows\n');
	});

	it('a file this open created outside is removed', () => {
		mkdirSync(join(base, 'runs', 'r2'), { recursive: true });
		mkdirSync(join(base, 'elsewhere'));
		const runDir = join(base, 'runs', 'r2');
		const checked = checkedFolder(runDir, realpathSync(runDir));
		rmSync(runDir, { recursive: true });
		symlinkSync(join(base, 'elsewhere'), runDir);
		expect(() => openNoFollow(join(runDir, 'log.jsonl'), constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644, checked)).toThrow(/not in the run folder/);
		expect(existsSync(join(base, 'elsewhere', 'log.jsonl'))).toBe(false);
	});

	it('without /proc (the Deno fallback): a file this open created through the swapped folder is removed; one already there is left', () => {
		noProc = true;
		try {
			mkdirSync(join(base, 'runs', 'r3'), { recursive: true });
			mkdirSync(join(base, 'away'));
			writeFileSync(join(base, 'away', 'kept.jsonl'), 'theirs\n');
			const runDir = join(base, 'runs', 'r3');
			const checked = checkedFolder(runDir, realpathSync(runDir));
			rmSync(runDir, { recursive: true });
			symlinkSync(join(base, 'away'), runDir);
			expect(() => openNoFollow(join(runDir, 'log.jsonl'), constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644, checked)).toThrow(/no longer the run folder checked/);
			expect(existsSync(join(base, 'away', 'log.jsonl'))).toBe(false);
			expect(() => openNoFollow(join(runDir, 'kept.jsonl'), constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644, checked)).toThrow(/no longer the run folder checked/);
			expect(readFileSync(join(base, 'away', 'kept.jsonl'), 'utf8')).toBe('theirs\n');
		} finally {
			noProc = false;
		}
	});
});

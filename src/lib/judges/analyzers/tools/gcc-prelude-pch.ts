// The prelude headers (C_PRELUDE_HEADERS) as ONE precompiled header for gcc, made once per
// process (and again when a temp cleaner removed it): gcc otherwise reads all 17 headers again
// for every file (on 222 SVEN dev functions judged for bounds, most of its time). Only the C
// library's headers are precompiled, never judged code; the precompiled header lives in a folder
// of its own (removed when the process ends), while the judged code stays in each batch's
// temporary folder. When gcc cannot make it, null: the headers are then included one by one as
// before. A precompiled header gcc finds unusable for some flags is ignored by gcc, which then
// reads the header as text: the same code.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runProcess } from '../run-process.ts';
import { C_PRELUDE_HEADERS } from './gcc-analyzer.ts';

const made = new Map<string, Promise<string[] | null>>();

/**
 * `-include <folder>/covw-prelude.h` with `covw-prelude.h.gch` beside it, made with `flags` (the
 * judge's own flags without the file names, the prelude and what only applies to analysing code),
 * or null when gcc could not make it. Made again when either file is gone (a temp-folder cleaner
 * under a long-running server): gcc would otherwise fail on every program until a restart.
 */
export async function gccPreludePch(gcc: string, flags: readonly string[], searchPath: string): Promise<string[] | null> {
	const key = JSON.stringify([gcc, flags]);
	const current = made.get(key);
	if (current) {
		const args = await current;
		if (args === null || preludePresent(args[1])) return args;
		// another caller may have made it again meanwhile
		const newer = made.get(key);
		if (newer && newer !== current) return newer;
		rmSync(dirname(args[1]), { recursive: true, force: true });
	}
	const fresh = make(gcc, flags, searchPath);
	made.set(key, fresh);
	return fresh;
}

/** Both the header and its precompiled form are still there. */
function preludePresent(header: string): boolean {
	return existsSync(header) && existsSync(`${header}.gch`);
}

async function make(gcc: string, flags: readonly string[], searchPath: string): Promise<string[] | null> {
	const folder = mkdtempSync(join(tmpdir(), 'covw-gcc-prelude-'));
	process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
	const header = join(folder, 'covw-prelude.h');
	writeFileSync(header, C_PRELUDE_HEADERS.map((h) => `#include <${h}>\n`).join(''), 'utf8');
	const result = await runProcess(gcc, ['-x', 'c-header', ...flags, '-o', `${header}.gch`, header], {
		cwd: folder,
		timeoutMs: 60_000,
		env: { PATH: searchPath, HOME: folder, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }
	});
	if (result.status !== 'ok' || result.exitCode !== 0) {
		rmSync(folder, { recursive: true, force: true });
		return null;
	}
	return ['-include', header];
}

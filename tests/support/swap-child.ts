// Test child (run under Deno, where /proc/self/fd cannot be read without --allow-all): opens a
// run session whose run folder is swapped for a link to `outside` between the folder's check and
// its files' opens (tests/unit/engine/run-folder-swap.test.ts). Prints "refused: <message>" or
// "opened".
import { renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { openedPath } from '../../src/lib/engine/atomic-file.ts';
import { RunSession } from '../../src/lib/engine/run-session.ts';

const [runs, runId, outside] = process.argv.slice(2);
try {
	const session = RunSession.open(
		{ runsDir: runs, runId, params: { a: 1 }, unitIds: ['u1'], onWarning: () => {} },
		{
			afterFolderCheck: () => {
				renameSync(join(runs, runId), join(runs, `${runId}-moved`));
				symlinkSync(outside, join(runs, runId));
			}
		}
	);
	session.finish('completed');
	console.log('opened');
} catch (e) {
	console.log(`refused: ${(e as Error).message}`);
}
// Whether this runtime could read /proc/self/fd (the fallback is what is tested when it cannot).
console.log(`proc: ${openedPath(0) !== null}`);

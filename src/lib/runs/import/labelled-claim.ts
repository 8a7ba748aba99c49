// One import of a labelled set's name at a time, and nothing left behind by one that was killed.
// An import claims the name with `labelled/.<name>.importing` (created exclusively, holding its
// process id) before it checks whether the set exists and writes anything, so a CLI import and a
// page upload of the same name cannot both pass the check and mix one set's items with the
// other's meta. A claim whose process is gone is stale: it is removed with the temporary items
// files that import left (`.<name>.items.arrow.<hex>.tmp`, hundreds of MB for a large file).
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { readRegularText } from '../../engine/atomic-file.ts';
import { join } from 'node:path';
import { ImportError } from './import-runs.ts';

/** Whether process `pid` still runs: null when this runtime may not ask. */
function processAlive(pid: number): boolean | null {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (code === 'ESRCH') return false;
		if (code === 'EPERM') return true; // it runs, as another user
		return null;
	}
}

/** Claims `name` in `folder` (the data folder's labelled/); the returned function releases it. */
export function claimLabelledName(folder: string, name: string): () => void {
	mkdirSync(folder, { recursive: true });
	const claim = join(folder, `.${name}.importing`);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(claim, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			return () => rmSync(claim, { force: true });
		} catch (error) {
			if ((error as { code?: string }).code !== 'EEXIST') throw error;
		}
		// A FIFO planted at the claim's name is refused by name (reading it would block).
		const pid = Number(readRegularText(claim).trim());
		const alive = Number.isInteger(pid) && pid > 0 ? processAlive(pid) : false;
		if (alive !== false) {
			throw new ImportError(
				`labelled set "${name}" is being imported by process ${pid}${alive === null ? ' (it may have ended)' : ''}: wait for it to finish, or remove ${claim} if no import is running`
			);
		}
		// A killed import: its claim and its temporary items files go.
		for (const f of readdirSync(folder)) if (f.startsWith(`.${name}.items.arrow.`) && f.endsWith('.tmp')) rmSync(join(folder, f), { force: true });
		rmSync(claim, { force: true });
	}
	throw new ImportError(`labelled set "${name}": could not claim the name (${claim})`);
}

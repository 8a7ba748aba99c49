// Every writer into a run folder writes into the folder as checked (atomic-file.ts `within`), never
// through a run folder swapped for a link since: the compacted table (written before the session's
// finish), an import's report, a batch record. And the `within` check removes only a file that
// its own open created (O_CREAT|O_EXCL), never one that was already there.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { compactSession } from '../../../src/lib/engine/compact-run.ts';
import { RunSession } from '../../../src/lib/engine/run-session.ts';
import { BatchStore } from '../../../src/lib/engine/batch/batch-store.ts';
import { checkedFolder, checkedFolderUnder, LinkRefusedError, writeFileAtomic } from '../../../src/lib/engine/atomic-file.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const PROC = existsSync('/proc/self/fd');
let dir: ReturnType<typeof tempDir>;
let runs: string;
let outside: string;
beforeEach(() => {
	dir = tempDir('covw-writers-');
	runs = join(dir.path, 'runs');
	outside = join(dir.path, 'home');
	mkdirSync(runs);
	mkdirSync(outside);
	writeFileSync(join(outside, 'generations.arrow'), 'victim data\n');
});
afterEach(() => dir.remove());

const row = (id: string): ResultRow => ({
	unit_id: id, sample: 0, status: 'ok', response: 'def f(): pass', error: null, latency_ms: 1, tokens_in: 1, tokens_out: 1, cached: false, attempts: 1,
	finished_at: '2026-11-29T10:00:00.000Z', meta: { item_id: id }
});
function swap(runId: string): void {
	renameSync(join(runs, runId), join(runs, `${runId}-moved`));
	symlinkSync(outside, join(runs, runId));
}

describe.skipIf(!PROC)('writers into a run folder swapped for a link', () => {
	it('compaction (before the finish) is refused; the file of that name outside is untouched', () => {
		const session = RunSession.open({ runsDir: runs, runId: 'r', params: { a: 1 }, unitIds: ['u1'], onWarning: () => {} });
		session.append(row('u1'));
		swap('r');
		expect(() => compactSession(session, 'r', 'generations.arrow')).toThrow(/not in the run folder/);
		expect(readFileSync(join(outside, 'generations.arrow'), 'utf8')).toBe('victim data\n');
		expect(readdirSync(outside).filter((f) => f !== 'run.lock').sort()).toEqual(['generations.arrow']);
		expect(() => session.finish('completed')).toThrow();
	});

	it('a writer holding no session checks the folder at the write (checkedFolderUnder): a link is refused', () => {
		mkdirSync(join(runs, 'imp'));
		expect(() => writeFileAtomic(join(runs, 'imp', 'import-report.json'), '{}', { within: checkedFolderUnder(runs, 'imp') })).not.toThrow();
		swap('imp');
		expect(() => checkedFolderUnder(runs, 'imp')).toThrow(LinkRefusedError);
		expect(readdirSync(outside)).toEqual(['generations.arrow']);
	});

	it('a batch record is not written through a run folder that is a link', () => {
		mkdirSync(join(runs, 'b', 'batch'), { recursive: true });
		const store = new BatchStore(join(runs, 'b'));
		store.writeUnits([]);
		expect(existsSync(join(runs, 'b', 'batch', 'units.jsonl'))).toBe(true);
		renameSync(join(runs, 'b'), join(runs, 'b-moved'));
		mkdirSync(join(outside, 'batch'));
		symlinkSync(outside, join(runs, 'b'));
		expect(() => store.writeUnits([])).toThrow(/symbolic link/);
		expect(readdirSync(join(outside, 'batch'))).toEqual([]);
	});
});

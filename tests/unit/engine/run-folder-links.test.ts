// A run folder may come from someone else: none of its files is read or written through a
// symbolic link (a log.jsonl → ~/.bashrc would get the run's lines appended, a link to a secret
// would be served as rows). The error names the file and says it was refused; the run is listed
// as broken, the others are served as always. And a log too big to read whole (over 2 GiB, no
// newline) is that run's problem only.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileNoFollow, writeFileAtomic } from '../../../src/lib/engine/atomic-file.ts';
import { readManifest } from '../../../src/lib/engine/manifest.ts';
import { acquireRunLock } from '../../../src/lib/engine/run-lock.ts';
import { readRunLog, RunLogWriter, rowToLine } from '../../../src/lib/engine/run-log.ts';
import { RunSession } from '../../../src/lib/engine/run-session.ts';
import { ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { BatchStore } from '../../../src/lib/engine/batch/batch-store.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { RunTableSet } from '../../../src/lib/runs/run-tables.ts';
import { tableFromIPC } from 'apache-arrow';
import { tempDir } from '../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let runs: string;
let outside: string;
beforeEach(() => {
	dir = tempDir('covw-links-');
	runs = join(dir.path, 'runs');
	outside = join(dir.path, 'home');
	mkdirSync(runs);
	mkdirSync(outside);
});
afterEach(() => dir.remove());

const row = (id: string, response = 'def f(): pass'): ResultRow => ({
	unit_id: id, sample: 0, status: 'ok', response, error: null, latency_ms: 1, tokens_in: 1, tokens_out: 1, cached: false, attempts: 1,
	finished_at: '2026-11-29T10:00:00.000Z', meta: { item_id: id }
});

function manifest(runId: string, state = 'completed', kind = 'generation') {
	return {
		run_id: runId, kind, params: { task: 'test' }, dataset_hash: null, endpoints: [], state, started_at: `2026-11-29T10:00:0${runId.length % 10}.000Z`,
		sessions: [], finished_at: null, counts: { total: 2, ok: 0, error: 0, unparsed: 0, pending: 2, cached: 0 },
		tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	};
}

/** A run folder with a manifest and (unless `log` is null) a log of the given rows. */
function makeRun(runId: string, rows: ResultRow[] | null, state = 'completed'): string {
	const folder = join(runs, runId);
	mkdirSync(folder);
	writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest(runId, state)));
	if (rows) writeFileSync(join(folder, 'log.jsonl'), rows.map(rowToLine).join(''));
	return folder;
}

const BASHRC = '# my shell setup\n';

describe('run folder files that are links are refused', () => {
	it('resuming a run whose log.jsonl links to ~/.bashrc appends nothing there and says the log is a link, refused', () => {
		const bashrc = join(outside, '.bashrc');
		writeFileSync(bashrc, BASHRC);
		const folder = makeRun('shared', null, 'running');
		symlinkSync(bashrc, join(folder, 'log.jsonl'));
		expect(() => RunSession.open({ runsDir: runs, runId: 'shared', params: { task: 'test' }, unitIds: ['a', 'b'], onWarning: () => {} })).toThrow(
			/log\.jsonl is a symbolic link: refused/
		);
		expect(readFileSync(bashrc, 'utf8')).toBe(BASHRC);
		// and the lock it took is released: the next attempt says the same, not "locked"
		expect(() => RunSession.open({ runsDir: runs, runId: 'shared', params: { task: 'test' }, unitIds: ['a'], onWarning: () => {} })).toThrow(/symbolic link: refused/);
	});

	it('the log writer itself refuses a link put in place after the log was read', () => {
		const bashrc = join(outside, '.bashrc');
		writeFileSync(bashrc, BASHRC);
		const log = join(makeRun('swap', null), 'log.jsonl');
		symlinkSync(bashrc, log);
		expect(() => new RunLogWriter(log)).toThrow(/log\.jsonl is a symbolic link: refused/);
		expect(readFileSync(bashrc, 'utf8')).toBe(BASHRC);
	});

	it('a manifest.json that is a link is neither read nor written through', () => {
		const secret = join(outside, 'secret.json');
		writeFileSync(secret, JSON.stringify(manifest('secret')));
		const folder = join(runs, 'm');
		mkdirSync(folder);
		symlinkSync(secret, join(folder, 'manifest.json'));
		expect(() => readManifest(join(folder, 'manifest.json'))).toThrow(/manifest\.json is a symbolic link: refused/);
		expect(() => RunSession.open({ runsDir: runs, runId: 'm', params: { task: 'test' }, unitIds: ['a'], onWarning: () => {} })).toThrow(/refused/);
		expect(JSON.parse(readFileSync(secret, 'utf8')).run_id).toBe('secret');
	});

	it('an atomic write replaces a link at its target instead of writing through it', () => {
		const target = join(outside, 'target');
		writeFileSync(target, 'mine');
		const link = join(runs, 'generations.arrow');
		symlinkSync(target, link);
		writeFileAtomic(link, 'new');
		expect(readFileSync(target, 'utf8')).toBe('mine');
		expect(readFileNoFollow(link)).toEqual(new TextEncoder().encode('new'));
	});

	it('a lock that is a link is refused, and its target left alone', () => {
		const target = join(outside, 'target');
		writeFileSync(target, 'keep');
		const folder = makeRun('locked', []);
		symlinkSync(target, join(folder, 'lock'));
		expect(() => acquireRunLock(join(folder, 'lock'))).toThrow(/lock is a symbolic link: refused/);
		expect(readFileSync(target, 'utf8')).toBe('keep');
		expect(existsSync(target)).toBe(true);
	});

	it('a run folder that is a link to a folder elsewhere is not written', () => {
		const elsewhere = join(outside, 'elsewhere');
		mkdirSync(elsewhere);
		symlinkSync(elsewhere, join(runs, 'linked'));
		expect(() => RunSession.open({ runsDir: runs, runId: 'linked', params: { task: 'test' }, unitIds: ['a'], onWarning: () => {} })).toThrow(/linked is a symbolic link to a folder: refused/);
		expect(existsSync(join(elsewhere, 'manifest.json'))).toBe(false);
	});

	it('a batch folder\'s files that are links are not read (an input linked to a secret would be uploaded)', () => {
		const secret = join(outside, 'id_rsa');
		writeFileSync(secret, '{"batches":[]}\n');
		const batch = join(makeRun('batched', []), 'batch');
		mkdirSync(batch);
		symlinkSync(secret, join(batch, 'batches.json'));
		expect(() => new BatchStore(join(runs, 'batched'))).toThrow(/batches\.json is a symbolic link: refused/);
	});

	it('a cache segment that is a link is not read: its entries are misses', () => {
		const cacheDir = join(dir.path, 'cache');
		const cache = new ResponseCache(cacheDir);
		const key = 'a'.repeat(64);
		cache.put(key, { text: 'real', tokens_in: 1, tokens_out: 1 } as never);
		cache.close();
		const other = 'b'.repeat(64);
		const planted = join(outside, 'planted.jsonl');
		writeFileSync(planted, `{"k":"${other}","t":1,"c":{"text":"planted"}}\n`);
		symlinkSync(planted, join(cacheDir, 'seg-zzz-1-abc.jsonl'));
		const again = new ResponseCache(cacheDir);
		expect(again.get(key)?.text).toBe('real');
		expect(again.get(other)).toBeNull();
		again.close();
	});

	it('the run tables list a run whose log is a link as broken, without its target\'s rows, and serve every other run', () => {
		makeRun('good', [row('g1'), row('g2')]);
		const secret = join(outside, 'secret-log.jsonl');
		writeFileSync(secret, [row('s1', 'SECRET'), row('s2', 'SECRET')].map(rowToLine).join(''));
		const bad = makeRun('bad', null);
		symlinkSync(secret, join(bad, 'log.jsonl'));
		const set = new RunTableSet(runs);
		set.updateSync();
		const generations = tableFromIPC(set.ipcSync('generations'));
		expect(generations.getChild('unit_id')!.toArray()).toEqual(['g1', 'g2']);
		expect(tableFromIPC(set.ipcSync('runs')).numRows).toBe(2);
		expect(set.warnings().join('\n')).toMatch(/bad\/log\.jsonl is a symbolic link: refused/);
		expect(set.source('bad')!.failure).toMatch(/refused/);
		// the run pages' reader too
		const read = readRun(runs, 'bad');
		expect(read?.rows).toEqual([]);
		expect(read?.broken).toMatch(/symbolic link: refused/);
		expect(() => readRunLog(join(bad, 'log.jsonl'))).toThrow(/refused/);
	});
});

// (A sparse 3 GiB log next to a good run, through the server's run tables: server/runs/broken-runs.test.ts.)
describe('a log too big to read whole', () => {
	it('the whole-log reader (resume, runs show) skips an endless last line without holding it', () => {
		const log = join(makeRun('endless', null), 'log.jsonl');
		writeFileSync(log, rowToLine(row('a')) + 'y'.repeat(5000));
		const read = readRunLog(log, 1000);
		expect(read.rows.map((r) => r.unit_id)).toEqual(['a']);
		expect(read.warnings).toEqual([`${log}:2: skipped an unfinished last line longer than 1000 bytes (a write cut short?)`]);
	});

	it('a line over the limit is skipped with a warning and the lines after it are read', () => {
		const folder = makeRun('long', null);
		const log = join(folder, 'log.jsonl');
		writeFileSync(log, rowToLine(row('a')) + 'x'.repeat(3000) + '\n' + rowToLine(row('b')));
		const read = readRunLog(log, 1000);
		expect(read.rows.map((r) => r.unit_id)).toEqual(['a', 'b']);
		expect(read.warnings).toEqual([`${log}:2: skipped: a line longer than 1000 bytes (not read)`]);
	});
});

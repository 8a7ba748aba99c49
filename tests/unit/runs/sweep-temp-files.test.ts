// Leftover temporary files of killed atomic writes are swept from run folders by the server's
// listing (RunSource with `compact`): only our own names, only regular files, only when the pid
// in the name is no live process and the file is a few minutes old, only in the run's own folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_FOLDER_FILES, sweepTempFiles, tempFilePid, TEMP_MAX_AGE_MS } from '../../../src/lib/runs/sweep-temp-files.ts';
import { MANIFEST_FILE } from '../../../src/lib/engine/manifest.ts';
import { FILTERS_FILE } from '../../../src/lib/runs/evolve/evolve-run.ts';
import { IMPORT_REPORT } from '../../../src/lib/runs/import/import-runs.ts';
import { RunSource, SWEEP_EVERY_MS } from '../../../src/lib/runs/run-source.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

/** The pid of a process that has ended (and been reaped). */
const deadPid = (() => {
	let pid = 0;
	return () => (pid ||= spawnSync(process.execPath, ['-e', '']).pid!);
})();

function plant(runDir: string, name: string, ageMs = TEMP_MAX_AGE_MS * 2): string {
	const path = join(runDir, name);
	writeFileSync(path, 'half a file');
	const t = (Date.now() - ageMs) / 1000;
	utimesSync(path, t, t);
	return path;
}

describe('leftover temporary files of a run folder', () => {
	it('names: only the two patterns of our atomic writes', () => {
		expect(tempFilePid('generations.arrow.4242.w3.tmp')).toBe(4242);
		expect(tempFilePid('manifest.json.4242.17.tmp')).toBe(4242);
		for (const name of ['notes.tmp', 'manifest.json.tmp', 'a.4242.tmp', 'a.x42.1.tmp', 'a.4242.1.tmp.bak', '.4242.1.tmp', '..4242.1.tmp', 'a.0.1.tmp']) expect(tempFilePid(name)).toBe(null);
		// only temporary names of the files we write into a run folder: a user's look-alikes are theirs
		for (const name of ['notes.2024.1.tmp', 'my draft.4000000.7.tmp', 'x.99999.w1.tmp', 'manifest.json.bak.42.1.tmp', 'manifest.json.0.1.tmp']) expect(tempFilePid(name)).toBe(null);
		for (const file of RUN_FOLDER_FILES) expect(tempFilePid(`${file}.4242.1.tmp`)).toBe(4242);
	});

	it('knows every file written atomically into a run folder by its constant', () => {
		expect(RUN_FOLDER_FILES).toEqual(expect.arrayContaining([MANIFEST_FILE, FILTERS_FILE, IMPORT_REPORT, 'generations.arrow', 'verdicts.arrow']));
	});

	it('keeps a user\'s look-alike file, and refuses a run id that is not one name', () => {
		const runDir = join(dir.path, 'r2');
		mkdirSync(runDir);
		const dead = deadPid();
		plant(runDir, `notes.${dead}.1.tmp`);
		plant(runDir, `manifest.json.${dead}.1.tmp`);
		expect(sweepTempFiles(dir.path, 'r2')).toEqual([`manifest.json.${dead}.1.tmp`]);
		expect(readdirSync(runDir)).toEqual([`notes.${dead}.1.tmp`]);
		// ../other from inside the runs folder reaches a folder outside it: never swept
		const runs = join(dir.path, 'runs');
		mkdirSync(runs);
		const other = join(dir.path, 'other');
		mkdirSync(other);
		plant(other, `manifest.json.${dead}.1.tmp`);
		expect(sweepTempFiles(runs, '../other')).toEqual([]);
		expect(sweepTempFiles(runs, '..')).toEqual([]);
		expect(readdirSync(other)).toEqual([`manifest.json.${dead}.1.tmp`]);
	});

	it('removes an old one of a dead process, and keeps fresh ones, live pids, links, folders and other names', () => {
		const runDir = join(dir.path, 'r1');
		mkdirSync(runDir);
		const dead = deadPid();
		plant(runDir, `generations.arrow.${dead}.w1.tmp`);
		plant(runDir, `manifest.json.${dead}.2.tmp`);
		plant(runDir, `manifest.json.${dead}.3.tmp`, 1000); // fresh: a writer elsewhere may still be at it
		plant(runDir, `manifest.json.${process.pid}.4.tmp`); // our own process: live
		plant(runDir, `verdicts.arrow.1.w5.tmp`); // pid 1 is live
		plant(runDir, `notes.${dead}.tmp`); // not our pattern
		const target = plant(dir.path, 'outside.txt');
		symlinkSync(target, join(runDir, `log.jsonl.${dead}.6.tmp`)); // a link: neither followed nor removed
		mkdirSync(join(runDir, `batch.${dead}.7.tmp`)); // a folder
		expect(sweepTempFiles(dir.path, 'r1').sort()).toEqual([`generations.arrow.${dead}.w1.tmp`, `manifest.json.${dead}.2.tmp`]);
		expect(readdirSync(runDir).sort()).toEqual([
			`batch.${dead}.7.tmp`, `log.jsonl.${dead}.6.tmp`, `manifest.json.${dead}.3.tmp`, `manifest.json.${process.pid}.4.tmp`, `notes.${dead}.tmp`, 'verdicts.arrow.1.w5.tmp'
		].sort());
		expect(existsSync(target)).toBe(true);
	});

	it('never sweeps through a run folder that is a link to another folder', () => {
		const elsewhere = join(dir.path, '..', `${dir.path.split('/').pop()}-elsewhere`);
		mkdirSync(elsewhere, { recursive: true });
		const file = plant(elsewhere, `manifest.json.${deadPid()}.1.tmp`);
		symlinkSync(elsewhere, join(dir.path, 'linked'));
		expect(sweepTempFiles(dir.path, 'linked')).toEqual([]);
		expect(existsSync(file)).toBe(true);
		rmSync(elsewhere, { recursive: true, force: true });
	});

	it("the server's listing sweeps a run folder it visits, at most every few minutes", () => {
		const runDir = join(dir.path, 'r2');
		mkdirSync(runDir);
		writeFileSync(join(runDir, 'manifest.json'), 'not json'); // a broken run is still visited
		const first = plant(runDir, `generations.arrow.${deadPid()}.w1.tmp`);
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			// A reader without `compact` (the CLI, headless notebooks) never removes anything.
			new RunSource(dir.path, 'r2').step();
			expect(existsSync(first)).toBe(true);
			const source = new RunSource(dir.path, 'r2', { compact: true });
			source.step();
			expect(existsSync(first)).toBe(false);
			expect(warn).toHaveBeenCalledWith(expect.stringContaining('removed 1 leftover temporary file'));
			const second = plant(runDir, `generations.arrow.${deadPid()}.w2.tmp`);
			source.step();
			expect(existsSync(second)).toBe(true); // not again at once
			vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + SWEEP_EVERY_MS + 1 });
			source.step();
			expect(existsSync(second)).toBe(false);
		} finally {
			vi.useRealTimers();
			warn.mockRestore();
		}
	});
});

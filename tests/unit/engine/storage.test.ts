// The run log tolerates crashes (a cut last line, garbage lines), reopens cleanly after one,
// and can be read as rows while a run is still writing it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestRowPerUnit, parseRunLog, readRunLog, rowToLine, RunLogWriter } from '../../../src/lib/engine/run-log.ts';
import { acquireRunLock, RunLockedError } from '../../../src/lib/engine/run-lock.ts';
import { writeFileAtomic } from '../../../src/lib/engine/atomic-file.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => void (dir = tempDir()));
afterAll(() => dir.remove());

function row(id: string, status: ResultRow['status'] = 'ok', extra: Partial<ResultRow> = {}): ResultRow {
	return {
		unit_id: id,
		sample: 0,
		status,
		response: status === 'error' ? null : `answer for ${id}`,
		error: status === 'error' ? 'server: HTTP 500' : null,
		latency_ms: 12.5,
		tokens_in: 10,
		tokens_out: 4,
		cached: false,
		attempts: 1,
		finished_at: '2025-06-01T10:00:00.000Z',
		meta: { item_id: `item-${id}`, score: 2 },
		...extra
	};
}

describe('run log', () => {
	it('round-trips rows through flat JSON lines', () => {
		const r = row('a');
		expect(JSON.parse(rowToLine(r))).toEqual({ ...r, meta: undefined, item_id: 'item-a', score: 2 });
		expect(parseRunLog(rowToLine(r), 'x').rows).toEqual([r]);
	});

	it('skips a truncated last line and a corrupt middle line with warnings naming file:line', () => {
		const text = rowToLine(row('a')) + '{"unit_id": "zz", oops\n' + rowToLine(row('b')) + rowToLine(row('c')).slice(0, 30);
		const read = parseRunLog(text, 'runs/r/log.jsonl');
		expect(read.rows.map((r) => r.unit_id)).toEqual(['a', 'b']);
		expect(read.warnings).toEqual([
			'runs/r/log.jsonl:2: skipped: not valid JSON (truncated or corrupted line)',
			'runs/r/log.jsonl:4: skipped an unfinished last line (a write cut short?)'
		]);
	});

	it('names the bad field of a well-formed but wrong line', () => {
		const bad = JSON.stringify({ ...JSON.parse(rowToLine(row('a'))), status: 'maybe' }) + '\n';
		expect(parseRunLog(bad, 'L').warnings[0]).toBe('L:1: skipped: field status must be ok | error | unparsed | no_code');
	});

	it('starts a fresh line after a cut last line, so new rows are not glued to it', () => {
		const path = join(dir.path, 'cut.jsonl');
		writeFileSync(path, rowToLine(row('a')) + rowToLine(row('b')).slice(0, 25));
		const w = new RunLogWriter(path);
		w.append(row('c'));
		w.close();
		const read = readRunLog(path);
		expect(read.rows.map((r) => r.unit_id)).toEqual(['a', 'c']);
		expect(read.warnings).toHaveLength(1);
	});

	it('prefers a finished row over an error row, and a later error over an earlier one', () => {
		const rows = [row('a', 'error'), row('a'), row('a', 'error', { error: 'late' }), row('b', 'error'), row('b', 'error', { error: 'second' })];
		const final = latestRowPerUnit(rows);
		expect(final.get('a')!.status).toBe('ok');
		expect(final.get('b')!.error).toBe('second');
	});
	// Reading a live log as Arrow: tests/unit/runs/run-tables-incremental.test.ts.
});

describe('atomic writes and the run lock', () => {
	it('replaces a file whole and leaves no temporary behind', () => {
		const path = join(dir.path, 'm.json');
		writeFileAtomic(path, '{"a":1}');
		writeFileAtomic(path, '{"a":2}');
		expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
	});

	it('refuses a second writer and takes over a dead one', () => {
		const path = join(dir.path, 'lock');
		const release = acquireRunLock(path);
		expect(() => acquireRunLock(path)).toThrow(RunLockedError);
		release();
		// A lock left by a process that no longer exists (pid far above pid_max).
		writeFileSync(path, '4194999');
		const again = acquireRunLock(path);
		expect(readFileSync(path, 'utf8').split(' ')[0]).toBe(String(process.pid));
		again();
	});
});

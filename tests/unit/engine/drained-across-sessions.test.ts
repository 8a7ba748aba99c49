// A run's drained replicas are kept across its sessions: a resume adds its own (tagged with the
// session they happened in) after the earlier ones, and never drops them — also those of a
// manifest written before entries named their session.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunSession } from '../../../src/lib/engine/run-session.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const dir = tempDir('covw-drained-');
afterAll(() => dir.remove());

const drain = (url: string, why: string) => ({ endpoint: 'farm', url, failures: 3, drains: 1, last_error: why });
const open = (runId: string, startedAt: string) => RunSession.open({ runsDir: dir.path, runId, params: { t: 1 }, unitIds: ['u1'], startedAt: new Date(startedAt), onWarning: () => {} });
const onDisk = (runId: string) => JSON.parse(readFileSync(join(dir.path, runId, 'manifest.json'), 'utf8'));

describe('replicas_drained over a resumed run', () => {
	it('keeps every session\'s drains, each with the session it happened in', () => {
		const first = open('drained-run', '2026-11-01T10:00:00.000Z');
		first.drainedReplicas = [drain('http://a/v1', 'ECONNREFUSED')];
		first.finish('cancelled');
		expect(onDisk('drained-run').replicas_drained).toEqual([{ ...drain('http://a/v1', 'ECONNREFUSED'), session: '2026-11-01T10:00:00.000Z' }]);

		// A resume that drains nothing keeps the first session's, while it runs and when it ends.
		const second = open('drained-run', '2026-11-02T10:00:00.000Z');
		expect(onDisk('drained-run').replicas_drained).toHaveLength(1);
		second.finish('cancelled');
		expect(onDisk('drained-run').replicas_drained).toEqual([{ ...drain('http://a/v1', 'ECONNREFUSED'), session: '2026-11-01T10:00:00.000Z' }]);

		// A third that drains another replica adds it after them.
		const third = open('drained-run', '2026-11-03T10:00:00.000Z');
		third.drainedReplicas = [drain('http://b/v1', '503')];
		const m = third.finish('completed');
		expect(m.replicas_drained!.map((d) => [d.url, d.session])).toEqual([
			['http://a/v1', '2026-11-01T10:00:00.000Z'],
			['http://b/v1', '2026-11-03T10:00:00.000Z']
		]);
		expect(m.sessions).toEqual(['2026-11-01T10:00:00.000Z', '2026-11-02T10:00:00.000Z', '2026-11-03T10:00:00.000Z']);
		expect(onDisk('drained-run').replicas_drained).toEqual(m.replicas_drained);
	});

	it('gives an older manifest\'s untagged drains its last session', () => {
		open('old-drained', '2026-10-01T08:00:00.000Z').finish('completed');
		const path = join(dir.path, 'old-drained', 'manifest.json');
		const old = JSON.parse(readFileSync(path, 'utf8'));
		old.replicas_drained = [drain('http://a/v1', 'timeout')]; // as written before sessions were named
		writeFileSync(path, JSON.stringify(old));
		const m = open('old-drained', '2026-10-02T08:00:00.000Z').finish('completed');
		expect(m.replicas_drained).toEqual([{ ...drain('http://a/v1', 'timeout'), session: '2026-10-01T08:00:00.000Z' }]);
	});

	it('writes none for a run that never drained one', () => {
		const m = open('never-drained', '2026-10-05T08:00:00.000Z').finish('completed');
		expect(m.replicas_drained).toBeUndefined();
		expect('replicas_drained' in onDisk('never-drained')).toBe(false);
	});
});

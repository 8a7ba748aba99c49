// A FIFO planted at <data>/evolved/vul_evol_filters.jsonl (read when an evolve cell completes, on
// the server's event loop) is refused by name, never waited on. Against a hang (a blocked read
// holds this process, so no timer here helps): a second process opens the FIFO for writing after
// 30 s, so a read still waiting then goes on and the test FAILS (no refusal).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEvolvedSet } from '../../../src/lib/runs/evolve/evolved-set.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const dir = tempDir('covw-evolved-fifo-');
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
	for (const c of children) c.kill();
	dir.remove();
});

describe('the evolved set filters file', () => {
	it('a FIFO in its place is refused by name', async () => {
		mkdirSync(join(dir.path, 'evolved'), { recursive: true });
		const fifo = join(dir.path, 'evolved', 'vul_evol_filters.jsonl');
		execFileSync('mkfifo', [fifo]);
		children.push(spawn('sh', ['-c', 'sleep 30; : > "$1"', 'sh', fifo], { stdio: 'ignore' }));
		await expect(writeEvolvedSet(dir.path, 'x', [], null)).rejects.toThrow(/vul_evol_filters\.jsonl is a FIFO \(named pipe\)/);
	}, 60_000);
});

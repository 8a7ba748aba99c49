// A fresh private folder for one analyzer run, always deleted afterwards.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withTempFolder<T>(work: (folder: string) => Promise<T>, root: string = tmpdir()): Promise<T> {
	const folder = await mkdtemp(join(root, 'covw-analyzer-'));
	try {
		return await work(folder);
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
}

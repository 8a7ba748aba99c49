// engine/atomic-file.ts's writeFileAtomic with the write, the fsync and the rename in libuv's
// thread pool instead of on the event loop: the workbench server compacting an older runs
// folder (RunSource, every finished run written once) would otherwise wait on each file's
// fsync on the loop — 8 ms per file at the median, 50+ ms on a busy disk —, holding up every
// other request. The temporary file is created as writeFileAtomic creates it (openNoFollow,
// O_EXCL: a link planted at its name is refused), then renamed over the target.
import { close, constants, fsync, rename, rm, write } from 'node:fs';
import { promisify } from 'node:util';
import { openNoFollow } from '../engine/atomic-file.ts';

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const renameAsync = promisify(rename);
const rmAsync = promisify(rm);

let counter = 0;

/** Writes `bytes` to `path` atomically and durably (fsync before the rename), off the event loop. */
export async function writeFileAtomicOffLoop(path: string, bytes: Uint8Array): Promise<void> {
	let tmp = '';
	let fd = -1;
	for (let tries = 0; fd < 0; tries++) {
		tmp = `${path}.${process.pid}.w${++counter}.tmp`;
		try {
			fd = openNoFollow(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
		} catch (e) {
			if ((e as { code?: string }).code !== 'EEXIST' || tries >= 5) throw e;
		}
	}
	try {
		let offset = 0;
		while (offset < bytes.length) offset += (await writeAsync(fd, bytes, offset, bytes.length - offset)).bytesWritten;
		await fsyncAsync(fd);
	} catch (e) {
		await closeAsync(fd).catch(() => {});
		await rmAsync(tmp, { force: true });
		throw e;
	}
	await closeAsync(fd);
	try {
		await renameAsync(tmp, path);
	} catch (e) {
		await rmAsync(tmp, { force: true });
		throw e;
	}
}

// Whole-file writes that a crash cannot leave half-done: write a temporary file beside the
// target, then rename over the target (rename is atomic within one file system). Against a
// killed process that is enough; `fsync: true` (the default) also flushes the data to disk
// first, for power loss. The cache turns it off: a lost entry there is only a miss.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

let counter = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array, options: { fsync?: boolean } = {}): void {
	const tmp = `${path}.${process.pid}.${++counter}.tmp`;
	const fd = openSync(tmp, 'w');
	try {
		const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
		let offset = 0;
		while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
		if (options.fsync ?? true) fsyncSync(fd);
	} catch (e) {
		closeSync(fd);
		rmSync(tmp, { force: true });
		throw e;
	}
	closeSync(fd);
	renameSync(tmp, path);
}

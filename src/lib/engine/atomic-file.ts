// Whole-file writes that a crash cannot leave half-done: write a temporary file beside the
// target, then rename over the target (rename is atomic within one file system). Against a
// killed process that is enough; `fsync: true` (the default) also flushes the data to disk
// first, for power loss. The cache turns it off: a lost entry there is only a miss.
//
// And the one way a file of a run folder (log, manifest, compacted tables, lock, cache
// segments) is opened: never through a symbolic link. A run folder may come from someone else
// (a shared drive, a copied project): a log.jsonl that is a link to ~/.bashrc must not get the
// run's lines appended to it, nor a link to a secret be served as the run's rows. As the data
// folder (node/datasets/find-data-files.ts openDataFile) and the label store do: O_NOFOLLOW on
// open, then fstat of the descriptor opened (a regular file; for writes one with a single name,
// not a hard link to a file elsewhere) — and, for Deno, which drops O_NOFOLLOW under narrowed
// permissions, an lstat before and a device/inode comparison after (see openNoFollow). The temporary
// file of an atomic write is created fresh (O_EXCL), so a link planted at its name is refused,
// and the rename replaces a link at the target instead of writing through it. A link put in place
// of the run folder itself after the session checked it (run-session.ts checkRunFolder) is caught
// after the open, on Linux: the descriptor's real path (/proc/self/fd) must lie in the run
// folder the check found (`within`, see openNoFollow).
//
// And the one way a user's data file is read (the data folder's labelled sets, labels and items
// tables, a file named to `covw import`): links followed — users link datasets into the data
// folder on purpose — but only to a regular file: a FIFO, socket, device or folder is refused by
// name (readRegularFile), never opened in a way that could wait for a writer.
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, renameSync, rmSync, statSync, type Stats, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { lstat as lstatAsync, open as openAsync, stat as statAsync } from 'node:fs/promises';
import { GrowingBytes } from '../core/text/growing-bytes.ts';

let counter = 0;

/** A file of a run folder that is a link (or not a regular file): refused, never opened through. */
export class LinkRefusedError extends Error {
	readonly code = 'ELINKREFUSED';
	constructor(path: string, what = 'is a symbolic link') {
		super(`${path} ${what}: refused (files of a run folder are never read or written through a link; replace it with a regular file or move the run away)`);
		this.name = 'LinkRefusedError';
	}
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Never wait at the open: a FIFO put in a file's place between the lstat and the open would
 *  otherwise block the whole process (the server's event loop) until a writer comes. Harmless
 *  on a regular file; absent on Windows (no FIFOs there). */
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** What a file that is not a regular one is, in words for an error: "is a FIFO (named pipe)". */
export function fileKind(st: Stats): string {
	if (st.isSymbolicLink()) return 'is a symbolic link';
	if (st.isDirectory()) return 'is a folder';
	if (st.isFIFO()) return 'is a FIFO (named pipe)';
	if (st.isSocket()) return 'is a socket';
	if (st.isCharacterDevice()) return 'is a character device';
	if (st.isBlockDevice()) return 'is a block device';
	return st.isFile() ? 'is a regular file' : 'is not a regular file';
}

/** Refuses (LinkRefusedError naming the file and its kind) anything at `path` but a regular file; an absent one is let through. */
export function assertRegularOrAbsent(path: string, st: Stats | null | undefined): void {
	if (st && !st.isFile()) throw new LinkRefusedError(path, fileKind(st));
}

/**
 * Opens `path` with `flags` (numeric, O_*) without following a link at it: a link is a
 * LinkRefusedError naming the file; so is anything but a regular file (a FIFO, socket, device or
 * folder: refused on its lstat before any open, and the open is O_NONBLOCK so one swapped in
 * after that cannot block), and (when writing) a file with more than one name. Other failures are the file system's (ENOENT, EACCES, …).
 *
 * Deno (the CLI) ignores O_NOFOLLOW when it runs with narrowed permissions, as covw does: so the
 * path is also lstat'ed before the open, and the file opened must be the very file (device and
 * inode) the path names, checked on the descriptor after the open (a link swapped in between is
 * caught either way). A file the open created is checked the same way just after.
 */
export function openNoFollow(path: string, flags: number, mode = 0o644, within?: CheckedFolder): number {
	const before = lstatOrNull(path);
	// Refused before any open: a link, and a FIFO, socket, device or folder (opening a FIFO waits
	// for a writer: the server would hang).
	assertRegularOrAbsent(path, before);
	let fd: number;
	// Whether this open created the file: only an O_CREAT|O_EXCL open that succeeded says so (a
	// file that appeared between the lstat and the open is someone else's, never removed below).
	let created = false;
	const create = (flags & constants.O_CREAT) !== 0;
	const exclusive = (flags & constants.O_EXCL) !== 0;
	try {
		if (create && !exclusive) {
			try {
				fd = openSync(path, flags | constants.O_EXCL | NOFOLLOW | NONBLOCK, mode);
				created = true;
			} catch (e) {
				if ((e as { code?: string }).code !== 'EEXIST') throw e;
				// There already: opened as it is, not created.
				fd = openSync(path, (flags & ~constants.O_CREAT) | NOFOLLOW | NONBLOCK, mode);
			}
		} else {
			fd = openSync(path, flags | NOFOLLOW | NONBLOCK, mode);
			created = create && exclusive;
		}
	} catch (e) {
		if ((e as { code?: string }).code === 'ELOOP') throw new LinkRefusedError(path);
		throw e;
	}
	try {
		const st = fstatSync(fd);
		if (!st.isFile()) throw new LinkRefusedError(path, fileKind(st));
		const named = before ?? lstatOrNull(path);
		if (!named || named.isSymbolicLink() || named.ino !== st.ino || named.dev !== st.dev) {
			throw new LinkRefusedError(path, 'changed while it was opened (a link put in its place?)');
		}
		const writing = (flags & (constants.O_WRONLY | constants.O_RDWR)) !== 0;
		if (writing && st.nlink > 1) throw new LinkRefusedError(path, `is a hard link (the file has ${st.nlink} names)`);
		if (within !== undefined) checkOpenedWithin(fd, path, within, created);
	} catch (e) {
		closeSync(fd);
		throw e;
	}
	return fd;
}

/**
 * The folder a file must be opened in, as it was checked: its real path (links resolved), and the
 * path it is reached by with the identity of the folder found there then (for where /proc cannot
 * be read). See checkedFolder, openNoFollow's `within`.
 */
export interface CheckedFolder {
	real: string;
	path: string;
	dev: number;
	ino: number;
}

/** `path` (a folder, not a link) as checked now: its real path and identity (CheckedFolder). */
export function checkedFolder(path: string, real: string): CheckedFolder {
	const st = lstatSync(path);
	return { real, path, dev: st.dev, ino: st.ino };
}

/**
 * Where the file open at `fd` really is: readlink of /proc/self/fd/<fd> (Linux), or null where
 * that cannot be told (no /proc: macOS, Windows; Deno, which asks --allow-all for /proc/self/fd).
 */
export function openedPath(fd: number): string | null {
	try {
		return readlinkSync(`/proc/self/fd/${fd}`);
	} catch {
		return null;
	}
}

/**
 * The file open at `fd` must lie directly in `folder` (as checked): a folder on the way swapped
 * for a link after it was checked (a run folder replaced by a link to ~/ between the session's
 * check and this open) is a LinkRefusedError naming the file and where it really is. Node has no
 * openat(2) to open relative to the folder checked, so this is checked after the open, on the
 * descriptor: its real path (/proc/self/fd) must be in the folder's real path. Where /proc cannot
 * be read (macOS, Windows, Deno's permissions) the folder's path is looked at again instead: it
 * must still be the very folder checked (no link, same device and inode) — a link put there and
 * taken away again between the open and that look is not seen there; that much of today's gap
 * stays where there is no /proc.
 */
function checkOpenedWithin(fd: number, path: string, folder: CheckedFolder, created: boolean): void {
	const real = openedPath(fd);
	if (real === null) {
		const now = lstatOrNull(folder.path);
		if (now && now.isDirectory() && now.dev === folder.dev && now.ino === folder.ino) return;
		// A file this open created there is ours: removed, if the path still names that very file.
		if (created) removeIfSame(path, fd);
		throw new LinkRefusedError(path, `was opened in ${folder.path}, which is no longer the run folder checked (${now ? fileKind(now) : 'it is gone'}; swapped for a link after it was checked?)`);
	}
	// A file removed since it was opened reads "<path> (deleted)": still in its folder.
	if (dirname(real.replace(/ \(deleted\)$/, '')) !== folder.real) {
		// A file this open created there is ours: removed (by its real path, not through the link).
		if (created) rmSync(real, { force: true });
		throw new LinkRefusedError(path, `was opened at ${real}, not in the run folder ${folder.real} (the folder was swapped for a link after it was checked?)`);
	}
}

/** Removes `path` if it still names the file open at `fd` (same device and inode), else leaves it. */
function removeIfSame(path: string, fd: number): void {
	try {
		const open = fstatSync(fd);
		const named = lstatOrNull(path);
		if (named && !named.isSymbolicLink() && named.dev === open.dev && named.ino === open.ino) rmSync(path, { force: true });
	} catch {
		// Left: nothing of ours can be told apart there.
	}
}

/**
 * The folder `root`/`parts…` as checked now (CheckedFolder, for openNoFollow's and
 * writeFileAtomic's `within`): each of `parts` must be a real folder, not a link, and the whole must
 * resolve to exactly root's real path joined with `parts` (no link on the way below `root`; `root`
 * itself may be a link, the user's own setting). A writer into a run folder that holds no session
 * (an import's report, an evolve run's filters, a batch record) checks the folder so at the write.
 */
export function checkedFolderUnder(root: string, ...parts: string[]): CheckedFolder {
	let at = root;
	for (const part of parts) {
		at = join(at, part);
		const st = lstatSync(at);
		if (st.isSymbolicLink()) throw new LinkRefusedError(at, 'is a symbolic link to a folder');
		if (!st.isDirectory()) throw new LinkRefusedError(at, fileKind(st));
	}
	const real = realpathSync(at);
	const expected = join(realpathSync(root), ...parts);
	if (real !== expected) throw new LinkRefusedError(at, `resolves to ${real}, not to ${expected} (a link on its way?)`);
	return checkedFolder(at, real);
}

function lstatOrNull(path: string): Stats | null {
	try {
		return lstatSync(path);
	} catch (e) {
		if ((e as { code?: string }).code === 'ENOENT') return null;
		throw e;
	}
}

/**
 * The most a whole file is read into memory at once: 2 GiB − 1 (readSync's length is a 32-bit
 * int; a larger file failed with a cryptic '"length" is out of range'). A larger one is refused
 * unread on its size, naming the file (tooLarge).
 */
export const MAX_READ_BYTES = 2 ** 31 - 1;

/** A byte count in words: "2 GiB", "512 MiB", "4096 bytes". */
function byteWords(n: number): string {
	for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
		if (n >= size) return `${Math.round((n / size) * 10) / 10} ${unit}`;
	}
	return `${n} bytes`;
}

/** "<file> is larger than <limit>: not read" (the file's size, when known, after). */
function tooLarge(path: string, maxBytes: number, size?: number): Error {
	return new Error(`${path} is larger than ${byteWords(maxBytes === MAX_READ_BYTES ? maxBytes + 1 : maxBytes)}: not read${size !== undefined ? ` (${size} bytes)` : ''}`);
}

/** The whole file, read without following a link (see openNoFollow; `within` likewise); one over `maxBytes` is refused unread. */
export function readFileNoFollow(path: string, maxBytes = MAX_READ_BYTES, within?: CheckedFolder): Uint8Array {
	return readWholeFd(openNoFollow(path, constants.O_RDONLY, 0o644, within), path, maxBytes);
}

/** Reads an open regular file to its end (at most `maxBytes`, else refused unread), then closes it. */
function readWholeFd(fd: number, path: string, maxBytes: number): Uint8Array {
	try {
		const size = fstatSync(fd).size;
		if (size > Math.min(maxBytes, MAX_READ_BYTES)) throw tooLarge(path, Math.min(maxBytes, MAX_READ_BYTES), size);
		const out = new Uint8Array(size);
		let at = 0;
		while (at < size) {
			const n = readSync(fd, out, at, size - at, at);
			if (n === 0) break;
			at += n;
		}
		return at === size ? out : out.subarray(0, at);
	} finally {
		closeSync(fd);
	}
}

/** A user's data file that is no regular file (a FIFO, socket, device, folder): refused, never read. */
export class NotRegularFileError extends Error {
	readonly code = 'ENOTREGULAR';
	constructor(
		readonly path: string,
		readonly kind: string
	) {
		super(`${path} ${kind}, not a regular file: not read (only regular files, or links to them, are read)`);
		this.name = 'NotRegularFileError';
	}
}

/**
 * Opens a user's data file for reading: a link is followed (users link datasets in), but what
 * it names must be a regular file — a FIFO, socket, device or folder is a NotRegularFileError
 * naming the file and its kind, refused on its stat before any open. The open is O_NONBLOCK, so
 * a FIFO swapped in after the stat cannot block (opening a FIFO waits for a writer: the server
 * would hang), and the descriptor is checked again (fstat). Other failures are the file
 * system's (ENOENT, EACCES, …). (Deno's node:fs may drop O_NONBLOCK: there only the stat and
 * fstat guard, which still refuse a FIFO in place before the open.)
 */
export function openRegularFile(path: string): number {
	const before = statSync(path);
	if (!before.isFile()) throw new NotRegularFileError(path, fileKind(before));
	const fd = openSync(path, constants.O_RDONLY | NONBLOCK);
	try {
		const st = fstatSync(fd);
		if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
	} catch (e) {
		closeSync(fd);
		throw e;
	}
	return fd;
}

/**
 * The whole of a user's data file (see openRegularFile); one over `maxBytes` is refused unread.
 * A file the user named on the command line (userNamedInput) may also be a pipe: read as a stream.
 */
export function readRegularFile(path: string, maxBytes = MAX_READ_BYTES): Uint8Array {
	if (namedByUser.has(resolve(path))) return readUserFile(path, maxBytes);
	return readWholeFd(openRegularFile(path), path, maxBytes);
}

/** readRegularFile as UTF-8 text, as readFileSync(path, 'utf8') gives it (a BOM kept, bad bytes as U+FFFD). */
export function readRegularText(path: string, maxBytes = MAX_READ_BYTES): string {
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(readRegularFile(path, maxBytes));
}

/** Files the user named on the command line (userNamedInput): the only ones read from a pipe. */
const namedByUser = new Set<string>();

/**
 * Marks `path` as named by the user on the command line (`covw import <(zcat x.gz)`, /dev/stdin):
 * readRegularFile then reads it even when it is a pipe (readUserFile). Only the CLI calls this, for
 * its own arguments: a file FOUND in the data or runs folders must still be a regular one (the
 * server never waits on a FIFO planted there).
 */
export function userNamedInput(path: string): void {
	namedByUser.add(resolve(path));
}

/**
 * A file the user named on the command line, whole: a regular file as readRegularFile reads it;
 * a pipe (a FIFO, `<(…)`, /dev/stdin: a character device or FIFO) read as a stream to its end —
 * the user asked for it, so waiting for its writer is right — with the size cap applied to the
 * bytes read (tooLarge once more than `maxBytes` came). A socket or folder is refused by name.
 */
export function readUserFile(path: string, maxBytes = MAX_READ_BYTES, read: GrowingBytes = new GrowingBytes()): Uint8Array {
	const cap = Math.min(maxBytes, MAX_READ_BYTES);
	const st = statSync(path);
	if (st.isFile()) return readWholeFd(openRegularFile(path), path, cap);
	if (!st.isFIFO() && !st.isCharacterDevice()) throw new NotRegularFileError(path, fileKind(st));
	const fd = openSync(path, constants.O_RDONLY);
	try {
		// One chunk for every read, copied into a growing buffer: memory held ≈ bytes read, however
		// short each read is (`read` is the test's window on it).
		const chunk = new Uint8Array(1 << 16);
		for (;;) {
			let n: number;
			try {
				n = readSync(fd, chunk, 0, chunk.length, null);
			} catch (e) {
				// A descriptor someone else set non-blocking (a terminal's stdin): wait a little, never spin.
				if ((e as { code?: string }).code === 'EAGAIN') {
					Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
					continue;
				}
				throw e;
			}
			if (n === 0) break;
			if (read.length + n > cap) throw tooLarge(path, cap);
			read.append(chunk, n);
		}
		return read.bytes();
	} finally {
		closeSync(fd);
	}
}

/** readUserFile as UTF-8 text (as readRegularText). */
export function readUserText(path: string, maxBytes = MAX_READ_BYTES): string {
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(readUserFile(path, maxBytes));
}

/**
 * readRegularFile without holding the event loop: same checks (stat, O_NONBLOCK open, fstat).
 * `followLinks: false` also refuses a link at the path (O_NOFOLLOW: the label store's files).
 */
export async function readRegularFileAsync(path: string, options: { followLinks?: boolean } = {}): Promise<Uint8Array> {
	const follow = options.followLinks ?? true;
	const before = await (follow ? statAsync(path) : lstatAsync(path));
	if (!before.isFile()) throw new NotRegularFileError(path, fileKind(before));
	const handle = await openAsync(path, constants.O_RDONLY | NONBLOCK | (follow ? 0 : NOFOLLOW));
	try {
		const st = await handle.stat();
		if (!st.isFile()) throw new NotRegularFileError(path, fileKind(st));
		if (st.size > MAX_READ_BYTES) throw tooLarge(path, MAX_READ_BYTES, st.size);
		const bytes = await handle.readFile();
		return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	} finally {
		await handle.close();
	}
}

/**
 * Writes `data` to `path` atomically (see the header). `within`: the folder the
 * file must be written in (openNoFollow): a temporary file opened elsewhere is refused and removed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: { fsync?: boolean; within?: CheckedFolder } = {}): void {
	// A fresh file: O_EXCL refuses whatever is at the name already, a planted link included
	// (a leftover of a killed process with the same pid: the next name).
	let tmp = '';
	let fd = -1;
	for (let tries = 0; fd < 0; tries++) {
		tmp = `${path}.${process.pid}.${++counter}.tmp`;
		try {
			fd = openNoFollow(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644, options.within);
		} catch (e) {
			if ((e as { code?: string }).code !== 'EEXIST' || tries >= 5) throw e;
		}
	}
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

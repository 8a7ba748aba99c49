// A file the user names on the command line may be a pipe (`covw import <(zcat x.gz)`,
// /dev/stdin): readUserFile reads it as a stream, with the size cap applied to the bytes read;
// a file FOUND in a folder (readRegularFile) must still be regular, unless the CLI marked that
// very path as named by the user (userNamedInput). And a file over 2 GiB is refused on its size
// with a plain message, not readSync's '"length" is out of range'.
import { execFileSync, spawn } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotRegularFileError, readFileNoFollow, readRegularFile, readRegularText, readUserFile, readUserText, userNamedInput } from '../../../src/lib/engine/atomic-file.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { GrowingBytes } from '../../../src/lib/core/text/growing-bytes.ts';

const dir = tempDir('covw-user-input-');
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
	for (const c of children) c.kill();
	dir.remove();
});

/** A FIFO with a writer process that writes `text` into it (the writer blocks until we open it). */
function fifoWith(name: string, text: string): string {
	const fifo = join(dir.path, name);
	execFileSync('mkfifo', [fifo]);
	children.push(spawn('sh', ['-c', 'printf "%s" "$1" > "$2"', 'sh', text, fifo], { stdio: 'ignore' }));
	// Against a hang (a read that waits forever would hold this process's event loop, so no timer
	// here could help): a second process opens the FIFO for writing after 30 s and closes it, so a
	// read still waiting then ends with what it has, and the test FAILS on its text.
	children.push(spawn('sh', ['-c', 'sleep 30; : > "$1"', 'sh', fifo], { stdio: 'ignore' }));
	return fifo;
}

describe('files the user named', () => {
	it('a pipe answering one short line per read: the memory held stays about the bytes read (review10 #3)', () => {
		const fifo = join(dir.path, 'slow.fifo');
		execFileSync('mkfifo', [fifo]);
		// 4,000 lines of 21 bytes, each written on its own with a pause: most reads return one line.
		const writer = `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'w');
			for (let i = 0; i < 4000; i++) { fs.writeSync(fd, String(i).padStart(20, '0') + '\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0.2); }
			fs.closeSync(fd);`;
		children.push(spawn(process.execPath, ['-e', writer, fifo], { stdio: 'ignore' }));
		children.push(spawn('sh', ['-c', 'sleep 60; : > "$1"', 'sh', fifo], { stdio: 'ignore' })); // against a hang, as fifoWith
		const read = new GrowingBytes();
		const bytes = readUserFile(fifo, undefined, read);
		expect(bytes.byteLength).toBe(4000 * 21);
		expect(new TextDecoder().decode(bytes.subarray(0, 42))).toBe('00000000000000000000\n00000000000000000001\n');
		expect(read.length).toBe(4000 * 21);
		expect(read.pieces).toBeGreaterThan(100); // the reads were short (else this test proves nothing)
		// Held: one buffer at most twice the bytes read — a 64 KiB chunk per read held pieces × 64 KiB.
		expect(read.held).toBeLessThanOrEqual(2 * 4000 * 21);
	});

	it('a FIFO the user named is read to its end', () => {
		expect(readUserText(fifoWith('a.fifo', '{"a":1}\n'))).toBe('{"a":1}\n');
	});

	it('a FIFO found in a folder is refused by name; once the CLI marks it as named by the user, it is read', () => {
		const fifo = fifoWith('b.fifo', 'line\n');
		expect(() => readRegularText(fifo)).toThrow(NotRegularFileError);
		userNamedInput(fifo);
		expect(readRegularText(fifo)).toBe('line\n');
	});

	it('a stream is refused once more than the cap came (a device that never ends: /dev/zero)', () => {
		expect(() => readUserFile('/dev/zero', 100_000)).toThrow(/\/dev\/zero is larger than 97\.7 KiB: not read/);
	});

	it('a regular file is read as before; a folder is refused', () => {
		const f = join(dir.path, 'plain.jsonl');
		writeFileSync(f, 'x\n');
		expect(readUserText(f)).toBe('x\n');
		expect(() => readUserFile(dir.path)).toThrow(/is a folder/);
	});
});

describe('a file over 2 GiB', () => {
	it('is refused on its size, naming the file and the limit', () => {
		const big = join(dir.path, 'big.jsonl');
		writeFileSync(big, '');
		truncateSync(big, 2 ** 31 + 10);
		expect(() => readRegularFile(big)).toThrow(`${big} is larger than 2 GiB: not read (${2 ** 31 + 10} bytes)`);
		expect(() => readFileNoFollow(big)).toThrow(/is larger than 2 GiB: not read/);
		expect(() => readUserFile(big)).toThrow(/is larger than 2 GiB: not read/);
	});
});

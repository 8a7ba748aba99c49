// The items of a large labelled set written as they come: one Arrow IPC stream (the items table's
// format, readable by readItemsArrow and DuckDB-WASM) made of record batches of BATCH items, so
// memory holds one batch, never the whole set. Written to a temporary file beside the target and
// renamed into place by finish(); abort() removes it.
//
// Each batch is encoded by apache-arrow's tableToIPC (schema, batch, end-of-stream marker); the
// stream keeps the first batch's schema message and drops the later ones' (every batch has the same
// schema: the item columns, all Utf8), and ends with one end-of-stream marker.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Item } from '../../core/items/item.ts';
import { itemsToArrowStream } from '../../node/coveval/items-arrow.ts';

const BATCH = 2000;
const EOS = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/** Byte length of the first IPC message (the schema) of a stream: continuation, length, metadata. */
function schemaLength(bytes: Uint8Array): number {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (view.getInt32(0, true) !== -1) throw new Error('unexpected Arrow IPC stream (no continuation marker)');
	return 8 + view.getInt32(4, true);
}

export class ItemsArrowWriter {
	private readonly temp: string;
	private fd: number | null;
	private pending: Item[] = [];
	private batches = 0;
	count = 0;

	constructor(private readonly path: string) {
		mkdirSync(dirname(path), { recursive: true });
		this.temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
		this.fd = openSync(this.temp, 'w');
	}

	add(item: Item): void {
		this.pending.push(item);
		this.count++;
		if (this.pending.length >= BATCH) this.flush();
	}

	private flush(): void {
		if (this.pending.length === 0 || this.fd === null) return;
		const bytes = itemsToArrowStream(this.pending);
		this.pending = [];
		const body = bytes.subarray(this.batches === 0 ? 0 : schemaLength(bytes), bytes.byteLength - EOS.byteLength);
		for (let off = 0; off < body.byteLength; ) off += writeSync(this.fd, body, off);
		this.batches++;
	}

	/** Writes what is left and puts the file in place. */
	finish(): void {
		if (this.fd === null) throw new Error('items writer closed');
		this.flush();
		writeSync(this.fd, EOS);
		closeSync(this.fd);
		this.fd = null;
		renameSync(this.temp, this.path);
	}

	abort(): void {
		if (this.fd !== null) closeSync(this.fd);
		this.fd = null;
		rmSync(this.temp, { force: true });
	}
}

// Bytes read a piece at a time (a pipe answering one short line per read), kept in one buffer
// that doubles when full: memory held stays within about twice the bytes read, whatever the
// size of each piece (review10 #3: a slice of a fresh 64 KiB chunk per read held 64 KiB per line).

export class GrowingBytes {
	private buffer: Uint8Array;
	private used = 0;
	/** How many appends there were. */
	pieces = 0;

	constructor(initial = 1 << 16) {
		this.buffer = new Uint8Array(Math.max(1, initial));
	}

	/** Copies src[0, n) in. */
	append(src: Uint8Array, n = src.byteLength): void {
		if (this.used + n > this.buffer.byteLength) {
			let size = this.buffer.byteLength;
			while (size < this.used + n) size *= 2;
			const next = new Uint8Array(size);
			next.set(this.buffer.subarray(0, this.used));
			this.buffer = next;
		}
		this.buffer.set(src.subarray(0, n), this.used);
		this.used += n;
		this.pieces++;
	}

	get length(): number {
		return this.used;
	}

	/** Bytes of memory this holds (its buffer's size). */
	get held(): number {
		return this.buffer.byteLength;
	}

	/** The bytes, in a buffer of their own size. */
	bytes(): Uint8Array {
		return this.buffer.slice(0, this.used);
	}
}

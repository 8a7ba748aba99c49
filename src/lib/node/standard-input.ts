// A command's standard input, whole (`covw import -`, `covw import --labelled <name> -`): read
// from the process's own stdin, not through /dev/stdin, which Deno lets the CLI open only with
// every permission. The cap is the one every user file is read with (engine/atomic-file.ts
// MAX_READ_BYTES): more than that is refused once it has come, saying the limit.
import { MAX_READ_BYTES } from '../engine/atomic-file.ts';
import { concatBytes } from '../core/text/concat-bytes.ts';
import { byteSize } from '../core/text/byte-size.ts';

/** What messages call standard input. */
export const STDIN_NAME = 'stdin';

export class StandardInputError extends Error {}

/** The bytes of `input` (default: the process's stdin) to its end; over `maxBytes` a StandardInputError saying the limit. */
export async function readStandardInput(maxBytes = MAX_READ_BYTES, input: AsyncIterable<Uint8Array | string> = process.stdin): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	let total = 0;
	for await (const chunk of input) {
		const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
		total += bytes.length;
		if (total > maxBytes) {
			(input as { destroy?: () => void }).destroy?.();
			throw new StandardInputError(`standard input is larger than ${byteSize(maxBytes === MAX_READ_BYTES ? maxBytes + 1 : maxBytes)}: not read`);
		}
		chunks.push(bytes);
	}
	return concatBytes(chunks);
}

/**
 * Why standard input's bytes are no text to import (null: they may be): gzip's magic bytes, or a
 * NUL byte near the start (another archive, UTF-16). Said before any reader would call them a bad CSV.
 */
export function binaryInputProblem(content: Uint8Array): string | null {
	if (content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b) return 'binary input (gzip): decompress first (gunzip -c <file> | covw import -)';
	if (content.subarray(0, 4096).includes(0)) return 'binary input (NUL bytes: gzip, zip or UTF-16?): decompress first, or convert it to UTF-8 text';
	return null;
}

/**
 * The name standard input's bytes go by: "stdin.csv" for a table (not JSON: what the readers
 * tell by a file's extension), else "stdin" (JSON Lines or a JSON document, told by content).
 */
export function standardInputName(content: Uint8Array): string {
	const head = new TextDecoder().decode(content.subarray(0, 4096)).replace(/^\uFEFF/, '').trimStart();
	return head === '' || head.startsWith('{') || head.startsWith('[') ? STDIN_NAME : `${STDIN_NAME}.csv`;
}

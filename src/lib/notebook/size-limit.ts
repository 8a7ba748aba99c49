// What a notebook over the size limit (NOTEBOOK_MAX_BYTES, format.ts) says, in one wording for
// the server's refusals (server/notebooks/notebook-errors.ts) and the page's own check before it
// sends a save (workbench/notebook-session.svelte.ts). Near the limit the sizes are exact bytes:
// "5 MiB, over the limit of 5 MiB" told nothing (review10 #7).
import { byteSize } from '../core/text/byte-size.ts';
import { NOTEBOOK_MAX_BYTES } from './format.ts';

export interface TooLargeOptions {
	/** The size is a lower bound: the file grew while it was read, and reading stopped past the limit. */
	atLeast?: boolean;
	/** 'save': the file on disk is unchanged and the page keeps the edit; 'create': a new notebook. */
	as?: 'read' | 'save' | 'create';
}

export function notebookTooLargeMessage(notebook: string, size: number, limit: number, options: TooLargeOptions = {}): string {
	const [shownSize, shownLimit] = sizes(size, limit);
	const over = `over the limit of ${shownLimit} for a notebook`;
	switch (options.as ?? 'read') {
		case 'save':
			return `Not saved: notebook "${notebook}" would be ${shownSize}, ${over}; the file on disk is unchanged and your edit is kept on this page — make it smaller (remove or shorten cells) and it saves`;
		case 'create':
			return `Not created: notebook "${notebook}" would be ${shownSize}, ${over}; split it into smaller notebooks`;
		default:
			return `notebook "${notebook}" (notebooks/${notebook}.md) ${options.atLeast ? 'is more than' : 'is'} ${shownSize}, ${over}: it is not opened; split it into smaller notebooks or remove cells in an editor`;
	}
}

/** The text's size in UTF-8 bytes when it may be over `limit` (else a lower bound that is not): counted only when it could be. */
export function textOverLimit(text: string, limit = NOTEBOOK_MAX_BYTES): number | null {
	if (text.length * 3 <= limit) return null; // UTF-8 is at most 3 bytes per UTF-16 unit
	const size = new TextEncoder().encode(text).byteLength;
	return size > limit ? size : null;
}

/** Size and limit as people read them (core/text/byte-size.ts), or exact bytes when those would not tell them apart (within 1 MiB). */
function sizes(size: number, limit: number): [string, string] {
	if (Math.abs(size - limit) < 1024 * 1024) return [exactBytes(size), exactBytes(limit)];
	return [byteSize(size), byteSize(limit)];
}

function exactBytes(n: number): string {
	return `${n.toLocaleString('en')} bytes`;
}

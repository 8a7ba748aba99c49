// Notebook bytes → text: UTF-8 text only; anything else is an error naming the line and byte.
import { describe, expect, it } from 'vitest';
import { decodeNotebook, NotebookDecodeError } from '../../../src/lib/notebook/decode.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeNotebook', () => {
	it('decodes UTF-8 exactly, byte-order mark, CR, CRLF and astral characters included', () => {
		const text = '\uFEFF---\r\ntitle: é 😀\r\n---\n```sql id=a\rSELECT 1\n```\n';
		expect(decodeNotebook(utf8(text))).toBe(text);
		const long = 'x€'.repeat(20_000);
		expect(decodeNotebook(utf8(long))).toBe(long);
	});

	it('refuses invalid UTF-8 with the line and byte', () => {
		const bytes = new Uint8Array([...utf8('# Title\nok\n'), 0x89, 0x50, 0x4e, 0x47]);
		expect(() => decodeNotebook(bytes, 'x.md')).toThrow(NotebookDecodeError);
		expect(() => decodeNotebook(bytes, 'x.md')).toThrow('x.md:3: not UTF-8 (byte 0x89) at byte 11; a notebook is a UTF-8 text (Markdown) file');
	});

	it('refuses NUL bytes (binary files that happen to be valid UTF-8)', () => {
		expect(() => decodeNotebook(utf8('a\nb\0c'))).toThrow(/^line 2: a NUL byte \(this looks like a binary file\) at byte 3;/);
	});

	it('refuses overlong forms, surrogates, truncated sequences and UTF-16', () => {
		for (const bytes of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff, 0xfe, 0x23, 0x00], [0xf4, 0x90, 0x80, 0x80]]) {
			expect(() => decodeNotebook(new Uint8Array(bytes)), JSON.stringify(bytes)).toThrow(NotebookDecodeError);
		}
	});
});

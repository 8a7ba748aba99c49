// The one way sizes are said in messages (core/text/byte-size.ts): powers of 1024 named as such.
import { describe, expect, it } from 'vitest';
import { byteSize, byteSizeExact } from '../../../../src/lib/core/text/byte-size.ts';

describe('byteSize', () => {
	it('says bytes under 1 KiB, then KiB, MiB, GiB and TiB with one decimal dropped when 0', () => {
		expect(byteSize(0)).toBe('0 bytes');
		expect(byteSize(1)).toBe('1 byte');
		expect(byteSize(1023)).toBe('1023 bytes');
		expect(byteSize(1024)).toBe('1 KiB');
		expect(byteSize(1229)).toBe('1.2 KiB');
		expect(byteSize(5 * 2 ** 20)).toBe('5 MiB');
		expect(byteSize(500 * 2 ** 20)).toBe('500 MiB');
		expect(byteSize(2500 * 2 ** 20)).toBe('2.4 GiB');
		expect(byteSize(2 ** 31 - 1)).toBe('2 GiB');
		expect(byteSize(3 * 2 ** 40)).toBe('3 TiB');
	});

	it('never says "1024 KiB": a size that rounds up to the next unit is said in it', () => {
		expect(byteSize(2 ** 20 - 1)).toBe('1 MiB');
		expect(byteSize(2 ** 20 - 60)).toBe('1023.9 KiB');
		expect(byteSize(2 ** 30 - 1)).toBe('1 GiB');
	});

	it('byteSizeExact adds the exact count from 1 KiB', () => {
		expect(byteSizeExact(16 * 2 ** 20)).toBe('16 MiB (16777216 bytes)');
		expect(byteSizeExact(1024)).toBe('1 KiB (1024 bytes)');
		expect(byteSizeExact(900)).toBe('900 bytes');
	});
});

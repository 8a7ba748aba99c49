// Sizes in words, the one way messages say them: "512 bytes", "1.5 KiB", "16 MiB", "2.4 GiB"
// (powers of 1024, named as such; one decimal, dropped when it is 0). byteSizeExact adds the
// exact count for a limit someone may need to match: "16 MiB (16777216 bytes)".
// (engine/atomic-file.ts byteWords and the answer caps of engine/chat-fetch.ts and
// engine/batch/batch-lines.ts still say sizes their own way.)

const UNITS: readonly [string, number][] = [
	['TiB', 2 ** 40],
	['GiB', 2 ** 30],
	['MiB', 2 ** 20],
	['KiB', 2 ** 10]
];

/** A byte count in words: "900 bytes", "1.2 KiB", "5 MiB", "2.4 GiB". */
export function byteSize(bytes: number): string {
	for (const [unit, size] of UNITS) {
		// 1023.96 KiB rounds to 1 MiB, not "1024 KiB"
		if (bytes >= size - size / 2 ** 10 / 20) return `${Number((bytes / size).toFixed(1))} ${unit}`;
	}
	return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** The same with the exact count for anything from 1 KiB: "16 MiB (16777216 bytes)". */
export function byteSizeExact(bytes: number): string {
	const shown = byteSize(bytes);
	return bytes >= 1024 ? `${shown} (${bytes} bytes)` : shown;
}

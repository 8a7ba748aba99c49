// Reads the paper's Table 1 (published figures shipped in datasets/paper) for tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TABLE1_PATH = fileURLToPath(
	new URL('../../../../datasets/paper/table1_main_results.csv', import.meta.url)
);

/** Rows as { column: string }; the file has no quoted fields. */
export function readTable1(): Record<string, string>[] {
	const lines = readFileSync(TABLE1_PATH, 'utf8').trim().split(/\r?\n/);
	const header = lines[0].split(',');
	return lines.slice(1).map((line) => {
		const cells = line.split(',');
		if (cells.length !== header.length) throw new Error(`${TABLE1_PATH}: ragged line: ${line}`);
		return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
	});
}

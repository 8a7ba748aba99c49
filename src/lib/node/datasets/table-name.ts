/**
 * The SQL table name for a data file, from its path relative to the data folder.
 *
 * - `paper/tableN_anything.csv` → `paper_tableN` (the paper's tables keep their numbers)
 * - `paper/models.csv` → `paper_models`
 * - anything else → the file's stem, lower-cased, every character outside [a-z0-9_] replaced
 *   by `_`, and `t_` in front when it would start with a digit (SQL identifiers cannot).
 */
const PAPER_TABLE = /^table(\d+)(?:_.*)?$/i;

export function tableNameFor(relativePath: string): string {
	const parts = relativePath.split(/[\\/]/);
	const fileName = parts[parts.length - 1];
	const stem = stemOf(fileName);
	if (parts.length === 2 && parts[0] === 'paper') {
		const numbered = PAPER_TABLE.exec(stem);
		if (numbered) return `paper_table${Number(numbered[1])}`;
		if (stem.toLowerCase() === 'models') return 'paper_models';
	}
	return sanitizeIdentifier(stem);
}

export function stemOf(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(0, dot) : fileName;
}

export function sanitizeIdentifier(raw: string): string {
	const cleaned = raw.toLowerCase().replace(/[^a-z0-9_]/g, '_');
	if (cleaned === '') return 't_';
	return /^[0-9]/.test(cleaned) ? `t_${cleaned}` : cleaned;
}

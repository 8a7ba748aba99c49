// A JSON Lines text as records, each with where it stands ("file:line") and a reader of its
// string fields that throws an error naming the file, line and field. Blank lines are skipped.

export interface JsonlRecord {
	/** "source:line". */
	where: string;
	record: Record<string, unknown>;
	/** The field as a string; an error naming the line and field otherwise. */
	text(name: string): string;
}

export function* jsonlRecords(text: string, source: string): Generator<JsonlRecord> {
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i].trim();
		if (!raw) continue;
		const where = `${source}:${i + 1}`;
		let record: Record<string, unknown>;
		try {
			record = JSON.parse(raw);
		} catch (error) {
			throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
		}
		if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new Error(`${where}: expected a JSON object`);
		const text = (name: string): string => {
			const value = record[name];
			if (typeof value !== 'string') throw new Error(`${where}: field "${name}" must be a string`);
			return value;
		};
		yield { where, record, text };
	}
}

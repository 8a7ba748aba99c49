// A bad input record, located precisely enough for a user to open the file and fix it.

export class RecordError extends Error {
	readonly file: string;
	readonly line: number | null;
	readonly field: string | null;

	constructor(file: string, line: number | null, field: string | null, problem: string) {
		const where = line === null ? file : `${file}:${line}`;
		super(field === null ? `${where}: ${problem}` : `${where}: field "${field}": ${problem}`);
		this.name = 'RecordError';
		this.file = file;
		this.line = line;
		this.field = field;
	}
}

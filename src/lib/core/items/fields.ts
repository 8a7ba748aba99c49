// Typed access to the fields of a sourced record; a wrong or missing field throws a
// RecordError naming the file, the line and the field.
import type { SourcedRecord } from './json-records.ts';
import { RecordError } from './record-error.ts';

export function requireString(record: SourcedRecord, field: string): string {
	const value = record.value[field];
	if (value === undefined) throw new RecordError(record.file, record.line, field, 'missing');
	if (typeof value !== 'string') {
		throw new RecordError(record.file, record.line, field, `expected a string, got ${describe(value)}`);
	}
	return value;
}

export function optionalString(record: SourcedRecord, field: string): string | undefined {
	const value = record.value[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') {
		throw new RecordError(record.file, record.line, field, `expected a string, got ${describe(value)}`);
	}
	return value;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

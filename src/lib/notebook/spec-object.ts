// What every JSON cell kind (plot, stats, run) starts with: parse the body, insist on an object,
// and report problems at the line and column of the offending field.
import { isJsonObject, parseJson, type JsonPosition, type JsonValue } from '../core/json/parse.ts';
import type { SpecError } from './plot-spec.ts';

export interface SpecObject {
	/** The object, or null when the body is not valid JSON or not an object (see errors). */
	value: { [key: string]: JsonValue } | null;
	errors: SpecError[];
	positions: Map<string, JsonPosition>;
	/** Records an error at a JSON path ('' = the whole body; 'marks/0/x' = a nested field). */
	at(path: string, message: string): void;
}

/** `example` shows the expected shape in the error for a body that is not an object. */
export function parseSpecObject(source: string, kind: string, example: string, knownKeys?: readonly string[]): SpecObject {
	const parsed = parseJson(source);
	if (!parsed.ok) {
		const { message, line, column } = parsed.error;
		const errors = [{ message: `invalid JSON at line ${line}, column ${column}: ${message}`, line, column }];
		return { value: null, errors, positions: new Map(), at: () => {} };
	}
	const errors: SpecError[] = [];
	const at = (path: string, message: string) => errors.push({ message, ...parsed.positions.get(path) });
	if (!isJsonObject(parsed.value)) {
		at('', `a ${kind} spec is a JSON object: ${example}`);
		return { value: null, errors, positions: parsed.positions, at };
	}
	if (knownKeys) {
		for (const key of Object.keys(parsed.value)) {
			if (!knownKeys.includes(key)) at(key, `unknown field "${key}" (fields: ${knownKeys.join(', ')})`);
		}
	}
	return { value: parsed.value, errors, positions: parsed.positions, at };
}

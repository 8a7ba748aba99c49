// Lines of values inside one large JSON document (a promptfoo results file, an Inspect AI log),
// by a scan of the text: `line(['samples', 3, 'output'])` is the line where that value starts,
// or, for a path that is not there, where its nearest enclosing value starts. Nothing is built
// up front: each object or array on a path asked about is scanned once (its members' offsets
// kept), so asking about every element of a 100,000-element array costs one pass over it.
// Strings are skipped with their escapes, nesting by counting (no recursion, no depth limit).
// The text must be JSON (the records were parsed already); on anything else it stops early.
import { textLocator } from '../text-position.ts';

export type JsonPath = readonly (string | number)[];

export function jsonPathLines(text: string): { line(path: JsonPath): number; offset(path: JsonPath): number } {
	const locate = textLocator(text);
	const composites = new Map<number, Map<string, number> | number[]>();
	const n = text.length;
	const space = (i: number) => {
		while (i < n && /\s/.test(text[i])) i++;
		return i;
	};
	const stringEnd = (i: number) => {
		for (let j = i + 1; j < n; j++) {
			const c = text.charCodeAt(j);
			if (c === 92) j++; // backslash: skip the escaped character
			else if (c === 34) return j + 1;
		}
		return n;
	};
	const valueEnd = (i: number) => {
		const c = text[i];
		if (c === '"') return stringEnd(i);
		if (c === '{' || c === '[') {
			let depth = 0;
			for (let j = i; j < n; j++) {
				const d = text[j];
				if (d === '"') j = stringEnd(j) - 1;
				else if (d === '{' || d === '[') depth++;
				else if (d === '}' || d === ']') {
					depth--;
					if (depth === 0) return j + 1;
				}
			}
			return n;
		}
		let j = i;
		while (j < n && !/[\s,\]}]/.test(text[j])) j++;
		return j;
	};
	/** Offsets of the members of the object at i, by key (the first of a repeated key). */
	const members = (i: number): Map<string, number> => {
		const out = new Map<string, number>();
		let j = space(i + 1);
		while (j < n && text[j] === '"') {
			const keyEnd = stringEnd(j);
			let key: string;
			try {
				key = JSON.parse(text.slice(j, keyEnd)) as string;
			} catch {
				break;
			}
			j = space(keyEnd);
			if (text[j] !== ':') break;
			const value = space(j + 1);
			out.set(key, value); // a repeated key: the last, as JSON.parse keeps it
			j = space(valueEnd(value));
			if (text[j] !== ',') break;
			j = space(j + 1);
		}
		return out;
	};
	const elements = (i: number): number[] => {
		const out: number[] = [];
		let j = space(i + 1);
		while (j < n && text[j] !== ']') {
			out.push(j);
			j = space(valueEnd(j));
			if (text[j] !== ',') break;
			j = space(j + 1);
		}
		return out;
	};
	const offset = (path: JsonPath): number => {
		let at = space(0);
		for (const step of path) {
			const c = text[at];
			let next: number | undefined;
			if (typeof step === 'number' && c === '[') {
				let list = composites.get(at);
				if (!list) composites.set(at, (list = elements(at)));
				next = (list as number[])[step];
			} else if (typeof step === 'string' && c === '{') {
				let map = composites.get(at);
				if (!map) composites.set(at, (map = members(at)));
				next = (map as Map<string, number>).get(step);
			}
			if (next === undefined) break;
			at = next;
		}
		return at;
	};
	return { offset, line: (path) => locate(offset(path)).line };
}

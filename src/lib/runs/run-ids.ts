// Run ids derived from what defines a run, so "resume = run the same command again": the same
// task, model, selection and sampling give the same id. Readable prefix, hash suffix.
import { canonicalJson, sha256Hex } from '../engine/canonical-json.ts';

/** Letters, digits, '.', '_' and '-' only (the engine's rule), at most 40 chars. */
export function slug(text: string): string {
	return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 40) || 'x';
}

export function derivedRunId(prefix: string, words: string[], params: Record<string, unknown>): string {
	const hash = sha256Hex(canonicalJson(params)).slice(0, 10);
	return [prefix, ...words.map(slug), hash].join('-');
}

// Canonical JSON (sorted object keys, no whitespace) and hashes over it: the same value always
// gives the same bytes, so unit ids and cache keys are stable across runs, machines and key order.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) {
			const v = (value as Record<string, unknown>)[key];
			// JSON.stringify drops undefined members; drop them here too so {a: undefined} == {}.
			if (v !== undefined) out[key] = sortKeys(v);
		}
		return out;
	}
	return value;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/**
 * A work unit id: hash of whatever identifies the unit (task, item, model or judge, params,
 * sample). 32 hex chars (128 bits) keep log lines short with no realistic collision.
 */
export function unitId(parts: Record<string, unknown>): string {
	return sha256Hex(canonicalJson(parts)).slice(0, 32);
}

// Items from packed JSONL records (the ../shared/coveval shape): each record carries the
// program in `code` and its upstream path in `origin_path`, which says what it is.
import { tryNormalizeCweId, NON_VULNERABLE } from '../cwe.ts';
import { optionalString, requireString } from './fields.ts';
import type { BinaryLabel, Item } from './item.ts';
import type { SourcedRecord } from './json-records.ts';
import { makeItem } from './make-item.ts';
import { classifyOriginPath, ITEM_KINDS, type OriginInfo } from './origin-path.ts';
import { RecordError } from './record-error.ts';

export interface ConvertedRecords {
	items: Item[];
	/** Records recognised but not benchmark items (train-set, pearce-scenario) or not recognised at all ('unrecognised'). */
	skipped: Record<string, number>;
}

export function itemsFromRecords(records: readonly SourcedRecord[]): ConvertedRecords {
	const items: Item[] = [];
	const skipped: Record<string, number> = {};
	for (const record of records) {
		const originPath = requireString(record, 'origin_path');
		let info: OriginInfo | null;
		try {
			info = classifyOriginPath(originPath);
		} catch (error) {
			throw new RecordError(record.file, record.line, 'origin_path', (error as Error).message);
		}
		const kind = info === null ? 'unrecognised' : ITEM_KINDS.includes(info.kind) ? null : info.kind;
		if (kind !== null || info === null) {
			skipped[kind ?? 'unrecognised'] = (skipped[kind ?? 'unrecognised'] ?? 0) + 1;
			continue;
		}
		const code = requireString(record, 'code');
		const label = recordLabel(record, info);
		try {
			items.push(makeItem({ info, code, originPath, label }));
		} catch (error) {
			throw new RecordError(record.file, record.line, 'label', (error as Error).message);
		}
	}
	return { items, skipped };
}

/** The label a record states, if any: `label` (Pearce) or `label_binary` (detection), checked against `label_multiclass`. */
function recordLabel(record: SourcedRecord, info: OriginInfo): BinaryLabel | undefined {
	const field = info.kind === 'pearce' ? 'label' : 'label_binary';
	const text = info.kind === 'pearce' ? requireString(record, field) : optionalString(record, field);
	if (text === undefined) return undefined;
	if (text !== 'vulnerable' && text !== NON_VULNERABLE) {
		throw new RecordError(record.file, record.line, field, `expected "vulnerable" or "non_vulnerable", got ${JSON.stringify(text)}`);
	}
	const multiclass = optionalString(record, 'label_multiclass');
	if (multiclass !== undefined) {
		const expected = text === 'vulnerable' ? info.cwe : NON_VULNERABLE;
		const stated = multiclass === NON_VULNERABLE ? NON_VULNERABLE : tryNormalizeCweId(multiclass);
		if (stated !== expected) {
			throw new RecordError(record.file, record.line, 'label_multiclass', `expected "${expected.toLowerCase()}" for this program, got ${JSON.stringify(multiclass)}`);
		}
	}
	return text;
}

// A finished run's summary (row counts, tokens, rows whose usage is implausible) as its compacted
// file records it in its schema's metadata (engine/compact-run.ts, runs/run-source.ts), read
// without apache-arrow: `covw runs` lists every run and must not load it (nor read any log) for
// runs that finished. Only the schema message at the file's start is read, through the small
// bounds-checked flatbuffer reader of node/datasets/arrow-metadata-check.ts, and the file is
// opened as every file of a run folder is (never through a link: ipc-head.ts).
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE } from '../engine/run-log.ts';
import { Flat } from '../node/datasets/arrow-metadata-check.ts';
import { messageStart, readHead } from './ipc-head.ts';

/** engine/compact-run.ts's metadata keys (that module loads apache-arrow; a test checks they agree). */
export const LOG_BYTES_KEY = 'covw.log_bytes';
export const SUMMARY_KEY = 'covw.summary';

/** The compacted file of a run of each kind (arrow/run-schema.ts ROW_TABLE_OF_KIND). */
const FILE_OF_KIND: Record<string, string | undefined> = { generation: 'generations.arrow', judge: 'verdicts.arrow' };

/** The custom metadata of the schema message a stream starts with (Message: 2 header; Schema: 2 custom_metadata; KeyValue: 0 key, 1 value). */
export function streamSchemaMetadata(head: Uint8Array): Map<string, string> {
	const flat = new Flat(head);
	const message = flat.root();
	const header = flat.table(message, 2);
	const out = new Map<string, string>();
	if (header === null) return out;
	const text = (table: number, index: number) => {
		const v = flat.vector(table, index, 1);
		return v ? new TextDecoder().decode(head.subarray(v.start, v.start + v.length)) : null;
	};
	for (const pair of flat.tables(header, 2)) {
		const key = text(pair, 0);
		const value = text(pair, 1);
		if (key !== null && value !== null) out.set(key, value);
	}
	return out;
}

/**
 * Rows whose usage is implausible, as the run's compacted file counts them; null when that is
 * not known from it (no compacted file, one made from another log than the one there now, one
 * written before the count was kept, an unreadable one).
 */
export function compactedUsageImplausible(runDir: string, kind: string): number | null {
	const file = FILE_OF_KIND[kind];
	if (!file) return null;
	try {
		const head = readHead(join(runDir, file));
		const metadata = streamSchemaMetadata(head.subarray(messageStart(head)));
		let logBytes = 0;
		try {
			logBytes = lstatSync(join(runDir, LOG_FILE)).size;
		} catch {
			// no log: a file made from none
		}
		if (Number(metadata.get(LOG_BYTES_KEY)) !== logBytes) return null;
		const count = (JSON.parse(metadata.get(SUMMARY_KEY) ?? 'null') as { usage_implausible?: unknown } | null)?.usage_implausible;
		return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : null;
	} catch {
		return null;
	}
}

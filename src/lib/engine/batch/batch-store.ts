// What a batch run keeps in its run folder, under runs/<id>/batch/:
//
//   units.jsonl      every unit of the run (id, endpoint, request, sample, meta), so export,
//                    import and status work from the folder alone.
//   batches.json     one record per batch: its units, the local input file, the uploaded file
//                    id, the batch id, the last status seen, and whether its output is ingested.
//   input-<n>.jsonl  the batch input as sent; output-<n>.jsonl / errors-<n>.jsonl as downloaded.
//
// Every write is atomic (temporary file + rename), and each step is recorded before the next
// one starts: the file is written, then uploaded, then the batch is created, then its id is
// recorded — before any polling. A process killed anywhere resumes from the record and never
// submits a unit that is in a submitted batch. No file here is read through a link (a run folder
// may come from someone else: a batch input linked to a secret would be uploaded).
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type CheckedFolder, checkedFolderUnder, readFileNoFollow, writeFileAtomic } from '../atomic-file.ts';
import { storageFailure } from '../run-errors.ts';
import type { WorkUnit } from '../types.ts';

export const BATCH_DIR = 'batch';
export const BATCHES_FILE = 'batches.json';
export const UNITS_FILE = 'units.jsonl';

/** prepared → uploaded → submitted (then the provider's statuses) → ingested; exported for vLLM. */
export interface BatchRecord {
	seq: number;
	via: 'openai' | 'vllm';
	endpoint: string;
	model: string;
	units: string[];
	/** Local file names inside batch/. */
	input: string;
	output: string | null;
	errors: string | null;
	input_file_id: string | null;
	batch_id: string | null;
	/** The replica the input was uploaded to, where its batch lives (endpoints with replicas); absent: the endpoint's baseURL. */
	server?: string;
	/** 'prepared' | 'uploaded' | the provider's batch status | 'exported'. */
	status: string;
	/** True once every unit of the batch has a row from it. */
	ingested: boolean;
	created_at: string;
	updated_at: string;
}

export class BatchStore {
	readonly dir: string;
	readonly records: BatchRecord[];

	constructor(readonly runDir: string) {
		this.dir = join(runDir, BATCH_DIR);
		this.records = readRecords(join(this.dir, BATCHES_FILE), () => this.#folder());
	}

	static exists(runDir: string): boolean {
		return existsSync(join(runDir, BATCH_DIR, BATCHES_FILE)) || existsSync(join(runDir, BATCH_DIR, UNITS_FILE));
	}

	path(name: string): string {
		return join(this.dir, name);
	}

	/**
	 * A file of batch/ by its plain name (no path: refused by name), read only from batch/ as
	 * checked now — neither the run folder nor batch/ a link, the file itself no link — so a
	 * name in a received record can never reach a file elsewhere.
	 */
	readFile(name: string): Uint8Array {
		if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) throw new Error(`${this.path(BATCHES_FILE)}: file name "${name.slice(0, 80)}" is not a plain name inside ${BATCH_DIR}/: refused`);
		return readFileNoFollow(this.path(name), undefined, this.#folder());
	}

	/** runs/<id>/batch/ as checked now (neither the run folder nor batch/ a link). */
	#folder(): CheckedFolder {
		return checkedFolderUnder(dirname(this.runDir), basename(this.runDir), BATCH_DIR);
	}

	/**
	 * Units in a batch whose output is not ingested yet: these are never sent again. With `via`,
	 * only those of that kind of batch: a unit in a vLLM export waiting for its import may take a
	 * cached answer (the import leaves a unit with a finished row alone); one in a provider's
	 * batch still running may not (that batch answers it, and is paid for).
	 */
	inFlight(via?: BatchRecord['via']): Set<string> {
		const out = new Set<string>();
		for (const r of this.records) if (!r.ingested && (via === undefined || r.via === via)) for (const id of r.units) out.add(id);
		return out;
	}

	add(record: Omit<BatchRecord, 'seq' | 'created_at' | 'updated_at'>): BatchRecord {
		const now = new Date().toISOString();
		const full: BatchRecord = { ...record, seq: this.records.reduce((m, r) => Math.max(m, r.seq), 0) + 1, created_at: now, updated_at: now };
		this.records.push(full);
		return full;
	}

	/** Writes batches.json (atomically, flushed). */
	save(): void {
		this.#write(BATCHES_FILE, JSON.stringify({ batches: this.records }, null, 1) + '\n');
	}

	update(record: BatchRecord, change: Partial<BatchRecord>): void {
		Object.assign(record, change, { updated_at: new Date().toISOString() });
		this.save();
	}

	writeFile(name: string, text: string): void {
		this.#write(name, text);
	}

	writeUnits(units: readonly WorkUnit[]): void {
		this.#write(UNITS_FILE, units.map((u) => JSON.stringify(u)).join('\n') + '\n');
	}

	readUnits(): WorkUnit[] {
		const path = this.path(UNITS_FILE);
		if (!existsSync(path)) throw new Error(`${path}: no unit list: this run was not started as a batch run (covw run … --batch or --batch-export)`);
		return new TextDecoder().decode(this.readFile(UNITS_FILE)).split('\n').filter((l) => l.trim() !== '').map((l, i) => {
			try {
				return JSON.parse(l) as WorkUnit;
			} catch {
				throw new Error(`${path}:${i + 1}: not valid JSON`);
			}
		});
	}

	#write(name: string, text: string): void {
		const path = this.path(name);
		try {
			mkdirSync(this.dir, { recursive: true });
			// Into runs/<id>/batch/ as checked now (neither the run folder nor batch/ a link).
			writeFileAtomic(path, text, { within: this.#folder() });
		} catch (e) {
			throw storageFailure('the batch record', path, e);
		}
	}
}

/** A file of the batch folder as text, never read through a link; with `within`, only one opened directly in that (checked) folder. */
export function readText(path: string, within?: CheckedFolder): string {
	return new TextDecoder().decode(readFileNoFollow(path, undefined, within));
}

function readRecords(path: string, within: () => CheckedFolder): BatchRecord[] {
	if (!existsSync(path)) return [];
	try {
		const parsed = JSON.parse(readText(path, within())) as { batches?: unknown };
		if (!Array.isArray(parsed.batches)) throw new Error('no "batches" list');
		return parsed.batches.map((r, i) => checkedRecord(r, i));
	} catch (e) {
		throw new Error(`${path}: the batch record is unreadable (${(e as Error).message}); it names batches already submitted: repair it rather than deleting it`);
	}
}

/** The local file names a record may name, as this store writes them: plain names inside batch/, never a path. */
const FILE_NAME: Record<'input' | 'output' | 'errors', RegExp> = { input: /^input-\d+\.jsonl$/, output: /^output-\d+\.jsonl$/, errors: /^errors-\d+\.jsonl$/ };

/**
 * Record `i` of batches.json with every field of the type this store writes, or an error naming
 * the record and field: the folder may come from someone else, and its file names are read and
 * uploaded (an `input` of "../../secret" would send the secret to the provider).
 */
function checkedRecord(value: unknown, i: number): BatchRecord {
	const at = (field: string, what: string) => new Error(`batch ${i + 1}: "${field}" ${what}`);
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`batch ${i + 1}: not an object`);
	const r = value as Record<string, unknown>;
	const str = (f: string, nullable = false) => {
		const v = r[f];
		if (typeof v === 'string' || (nullable && v === null)) return;
		throw at(f, `is not ${nullable ? 'a string or null' : 'a string'}`);
	};
	if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 1) throw at('seq', 'is not a whole number from 1');
	if (r.via !== 'openai' && r.via !== 'vllm') throw at('via', 'is neither "openai" nor "vllm"');
	for (const f of ['endpoint', 'model', 'status', 'created_at', 'updated_at']) str(f);
	for (const f of ['input_file_id', 'batch_id']) str(f, true);
	if (r.server !== undefined) str('server');
	if (typeof r.ingested !== 'boolean') throw at('ingested', 'is not true or false');
	if (!Array.isArray(r.units) || !r.units.every((u) => typeof u === 'string')) throw at('units', 'is not a list of unit ids');
	for (const f of ['input', 'output', 'errors'] as const) {
		const v = r[f];
		if (v === null && f !== 'input') continue;
		if (typeof v !== 'string' || !FILE_NAME[f].test(v)) {
			throw at(f, `${typeof v === 'string' ? `names "${v.slice(0, 80)}"` : 'is not a file name'}: only a plain file name of the form ${f}-<n>.jsonl inside batch/ is accepted (a path out of the folder is refused)`);
		}
	}
	return r as unknown as BatchRecord;
}

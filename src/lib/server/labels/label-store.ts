// The labels of one data folder, in two files the data folder lists as tables:
//   - `<data>/labels/label_history.jsonl` (table `label_history`): every label ever given, in
//     the order given, append-only, one fsync per append — a label is on disk before the
//     annotator sees it accepted. This is the record; nothing in it is rewritten.
//   - `<data>/labels/labels.jsonl` (table `labels`): the CURRENT label per (target_id,
//     annotator) — the latest in the history (core/labels/latest.ts) — rewritten whole
//     (temporary file, fsync, rename) after every append. Notebooks read this one: a majority
//     over `labels` counts each annotator once per target, never a revision or a re-import.
// A data folder from before the history file (labels.jsonl then held every revision) is
// migrated on first use: its labels.jsonl becomes the history, byte for byte. A row found in
// labels.jsonl but not in the history (written there by hand or by another tool) is added to
// the history before labels.jsonl is rewritten, so nothing saved is lost.
// A line of either file that is not a valid label is skipped with a warning naming its file,
// line and field (every such line, up to a cap): labelling goes on. The history is never
// rewritten; such a line of labels.jsonl is carried over, as it is, to the end of each rewrite,
// so it stays in the file (and in the table's warnings) until someone fixes or removes it.
// A data folder may come from someone else: the store writes only regular files of its own
// inside it, never through a link (a planted labels.jsonl → ~/.bashrc would get a line the
// dataset chose, and could be cut at its end).
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { checkLabel, type Label } from '../../core/labels/label.ts';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';
import { isFutureAt, labelKey, latestLabels } from '../../core/labels/latest.ts';
import { LABEL_HISTORY_FILE, LABELS_FILE } from '../../core/labels/label-file.ts';
import { labelLine, parseLabelLines, type ParsedLabels } from './label-lines.ts';
import { firstInvalidUtf8Line } from '../../node/datasets/utf8-check.ts';

/** The current labels (one per target and annotator): the `labels` table; every label given, revisions included: the `label_history` table. */
export { LABEL_HISTORY_FILE, LABELS_FILE };

export interface LabelSnapshot {
	/** Every row, in the order given (the history). */
	labels: Label[];
	/** The current label per (target_id, annotator). */
	latest: Label[];
	warnings: string[];
}

/** A label to add unless it is there already; `timed`: it carries its own time (else it was stamped now). */
export interface NewLabel {
	label: Label;
	timed: boolean;
}

export interface AddResult {
	/** Labels appended to the history. */
	added: number;
	/** Labels that were there already (not appended). */
	present: number;
}

export class LabelStore {
	/** The current labels (labels.jsonl). */
	readonly file: string;
	/** The history (label_history.jsonl). */
	readonly historyFile: string;
	/** Appends, repairs and the current file's rewrites run one at a time in this process, in arrival order. */
	private queue: Promise<unknown> = Promise.resolve();
	/** The text last written to (or found in) labels.jsonl: it is rewritten only when that changes. */
	private currentText: string | null = null;
	/** The lines of labels.jsonl that are not labels (skipped with a warning), kept in each rewrite. */
	private currentBadLines: string[] = [];

	constructor(
		dataRoot: string,
		private readonly log: (message: string) => void = (message) => console.warn(message)
	) {
		this.file = join(dataRoot, LABELS_FILE);
		this.historyFile = join(dataRoot, LABEL_HISTORY_FILE);
	}

	/** Validates and appends one label; resolves once it is on disk. */
	async append(label: Label): Promise<Label> {
		const clean = checkLabel(label);
		await this.appendMany([clean]);
		return clean;
	}

	/**
	 * Appends several labels with one write and one fsync (a CSV import): all are checked
	 * first, so an invalid one means nothing is written.
	 */
	async appendMany(labels: readonly Label[]): Promise<void> {
		await this.addNew(labels.map((label) => ({ label, timed: true })), false);
	}

	/**
	 * Appends the labels that are not there yet (a CSV import), all checked first. With `skipPresent`
	 * a label is there already when the history holds the very same row or — for a label stamped
	 * now, the file having no time for it — when the annotator's current label on the target says
	 * the same (answer, CWE, note, decision); earlier labels of the same call count too.
	 */
	async addNew(labels: readonly NewLabel[], skipPresent = true): Promise<AddResult> {
		const clean = labels.map(({ label, timed }) => ({ label: checkLabel(label), timed }));
		return this.serial(async () => {
			const history = await this.syncFiles(true);
			const fresh: Label[] = [];
			if (skipPresent) {
				const lines = new Set(history.labels.map(labelLine));
				const current = new Map(latestLabels(history.labels).map((l) => [labelKey(l), l]));
				for (const { label, timed } of clean) {
					const now = current.get(labelKey(label));
					if (lines.has(labelLine(label)) || (!timed && now !== undefined && sameAnswer(now, label))) continue;
					fresh.push(label);
					lines.add(labelLine(label));
					const time = Date.parse(label.at);
					// the greatest `at` is the current one, ties to the last written (latest.ts)
					if (!isFutureAt(label.at) && (now === undefined || time >= Date.parse(now.at))) current.set(labelKey(label), label);
				}
			} else {
				fresh.push(...clean.map((c) => c.label));
			}
			if (fresh.length > 0) {
				await appendLines(this.historyFile, fresh);
				await this.writeCurrent([...history.labels, ...fresh]);
			}
			return { added: fresh.length, present: clean.length - fresh.length };
		});
	}

	/** Every label and the latest per annotator and target; no files means no labels. */
	async read(): Promise<LabelSnapshot> {
		const parsed = await this.serial(() => this.syncFiles(false));
		for (const warning of parsed.warnings) this.log(warning);
		return { labels: parsed.labels, latest: latestLabels(parsed.labels), warnings: parsed.warnings };
	}

	/**
	 * Brings the two files in line, and returns the history: migrates a folder from before the
	 * history file, moves an unfinished last line of the history aside before an append (`appending`;
	 * a read skips it with a warning), adds to the history the rows of labels.jsonl it lacks, and
	 * rewrites labels.jsonl when it is not the history's latest.
	 */
	private async syncFiles(appending: boolean): Promise<ParsedLabels> {
		await this.checkOwnFiles();
		const currentText = await readText(this.file);
		let historyText = await readText(this.historyFile);
		if (historyText === null) {
			if (currentText === null) return { labels: [], warnings: [] };
			// Before the history file: labels.jsonl held every label given. It becomes the history,
			// byte for byte (a line that is not a label stays there, skipped with a warning).
			await writeAtomic(this.historyFile, currentText);
			historyText = currentText;
			this.log(`${LABELS_FILE}: every label given is now kept in ${LABEL_HISTORY_FILE}; ${LABELS_FILE} holds the current label per target and annotator`);
		}
		if (appending && historyText !== '' && !historyText.endsWith('\n')) {
			await this.repairTail();
			historyText = (await readText(this.historyFile)) ?? '';
		}
		const history = parseLabelLines(historyText, LABEL_HISTORY_FILE);
		const current = currentText === null ? null : parseLabelLines(currentText, LABELS_FILE);
		if (current) {
			history.warnings.push(...current.warnings);
			if (currentText !== this.currentText) {
				// Rows of labels.jsonl the history lacks (another writer's): kept, added to the history.
				const known = new Set(history.labels.map(labelLine));
				const extra = current.labels.filter((l) => !known.has(labelLine(l)));
				if (extra.length > 0) {
					await appendLines(this.historyFile, extra);
					history.labels.push(...extra);
				}
			}
		}
		this.currentText = currentText;
		this.currentBadLines = (current?.badLines ?? []).map((b) => b.text);
		await this.writeCurrent(history.labels);
		return { labels: history.labels, warnings: history.warnings };
	}

	/**
	 * labels.jsonl := the latest of `history`, unless it says that already; the lines of
	 * labels.jsonl that are not labels follow, as they were (nothing in the file is lost).
	 */
	private async writeCurrent(history: readonly Label[]): Promise<void> {
		const text = latestLabels(history).map(labelLine).join('') + this.currentBadLines.map((line) => `${line}\n`).join('');
		if (text === this.currentText) return;
		await writeAtomic(this.file, text);
		this.currentText = text;
	}

	/**
	 * Before appending after a crash: an unfinished last line would otherwise be glued to the
	 * new label. It is moved to a hidden `.label_history.jsonl.unfinished-<time>` file beside
	 * (kept for inspection, ignored by the data folder) and cut off. A complete last line that
	 * only lacks its newline gets one.
	 */
	private async repairTail(): Promise<void> {
		const bytes = Buffer.from(await readRegularFileAsync(this.historyFile, { followLinks: false }));
		if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
		const tailStart = bytes.lastIndexOf(0x0a) + 1;
		if (isLabelLine(bytes.subarray(tailStart).toString('utf8'))) {
			await writeFile(this.historyFile, '\n', { flag: 'a' });
			return;
		}
		const aside = join(dirname(this.historyFile), `.label_history.jsonl.unfinished-${new Date().toISOString().replace(/[:.]/g, '-')}`);
		await writeFile(aside, bytes.subarray(tailStart));
		await truncate(this.historyFile, tailStart);
		this.log(`${LABEL_HISTORY_FILE}: an unfinished last line (${bytes.length - tailStart} bytes) was moved to ${aside}`);
	}

	/**
	 * The labels folder must be a folder inside the data folder (links resolved) and each of its
	 * two files, when there, a regular file with one name: not a link, not a hard link to a file
	 * elsewhere. Creates the folder on first use.
	 */
	private async checkOwnFiles(): Promise<void> {
		const folder = dirname(this.file);
		const root = dirname(folder);
		const refuse = (name: string, what: string) =>
			new LabelStoreRefusedError(`${name}: ${what}; labels are written only to regular files in the data folder (replace it with one, or move it away)`);
		const folderInfo = await lstat(folder).catch((error) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
		if (folderInfo?.isSymbolicLink()) throw refuse(LABELS_FILE, 'its folder labels/ is a link');
		if (folderInfo && !folderInfo.isDirectory()) throw refuse(LABELS_FILE, 'labels/ is not a folder');
		await mkdir(folder, { recursive: true });
		const [realRoot, realFolder] = await Promise.all([realpath(root), realpath(folder)]);
		const rel = relative(realRoot, realFolder);
		if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw refuse(LABELS_FILE, 'its folder labels/ is outside the data folder (through a link)');
		for (const [path, name] of [[this.file, LABELS_FILE], [this.historyFile, LABEL_HISTORY_FILE]] as const) {
			const info = await lstat(path).catch((error) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
			if (!info) continue;
			if (info.isSymbolicLink()) throw refuse(name, 'it is a link');
			if (!info.isFile()) throw refuse(name, 'it is not a regular file');
			if (info.nlink > 1) throw refuse(name, `it is a hard link (the file has ${info.nlink} names)`);
		}
	}

	private serial<T>(task: () => Promise<T>): Promise<T> {
		const result = this.queue.then(task);
		this.queue = result.catch(() => {});
		return result;
	}
}

/** Same answer, CWE, note and decision: the same label but for its time. */
function sameAnswer(a: Label, b: Label): boolean {
	return labelLine({ ...a, at: b.at }) === labelLine(b);
}

/**
 * The file as text without a leading BOM (an editor's; it is not written back). Bytes that are not
 * UTF-8 are refused, naming the line: decoded, they would become U+FFFD and a rewrite would
 * change them silently (review10 #5).
 */
async function readText(path: string): Promise<string | null> {
	let bytes: Uint8Array;
	try {
		// Never a link (checkOwnFiles), never a FIFO: one swapped in since is refused, not waited on.
		bytes = await readRegularFileAsync(path, { followLinks: false });
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') return null;
		throw error;
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // ignoreBOM false: a leading BOM is dropped
	} catch {
		throw new LabelStoreRefusedError(
			`${join(basename(dirname(path)), basename(path))} line ${firstInvalidUtf8Line(bytes)} is not UTF-8 text; labels are read and written only when the whole file is (fix or remove that line in an editor, saving as UTF-8); nothing was written`
		);
	}
}

/** Appends the labels' lines with one write and one fsync, creating the folder on first use. */
async function appendLines(path: string, labels: readonly Label[]): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	// O_NOFOLLOW: a link put there since the check is refused by the system too.
	const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
	try {
		await handle.writeFile(labels.map(labelLine).join(''));
		await handle.sync();
	} finally {
		await handle.close();
	}
}

let tmpCounter = 0;

/** The whole file, or nothing of it: a hidden temporary file beside (not a table), fsync, rename. */
async function writeAtomic(path: string, text: string): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tmpCounter}.tmp`);
	try {
		const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
		try {
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(tmp, path);
	} catch (error) {
		await rm(tmp, { force: true });
		throw error;
	}
}

function isLabelLine(line: string): boolean {
	try {
		checkLabel(JSON.parse(line));
		return true;
	} catch {
		return false;
	}
}

/** A labels file is not one the store may write (a link, a hard link, not a regular file). */
export class LabelStoreRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LabelStoreRefusedError';
	}
}

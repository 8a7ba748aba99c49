// The labels of one data folder: `<data>/labels/labels.jsonl`, append-only, one fsync per
// append, so a label is on disk before the annotator sees it accepted. The data folder lists
// the file as the `labels` table like any other. A data folder may come from someone else:
// the store writes only a regular file of its own inside it, never through a link (a planted
// labels.jsonl → ~/.bashrc would get a line the dataset chose, and could be cut at its end).
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath, truncate, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { checkLabel, type Label } from '../../core/labels/label.ts';
import { latestLabels } from '../../core/labels/latest.ts';
import { labelLine, parseLabelLines, type ParsedLabels } from './label-lines.ts';

export const LABELS_FILE = 'labels/labels.jsonl';

export interface LabelSnapshot {
	/** Every row, in the order given (the history). */
	labels: Label[];
	/** The current label per (target_id, annotator). */
	latest: Label[];
	warnings: string[];
}

export class LabelStore {
	readonly file: string;
	/** Appends and repairs run one at a time in this process, in arrival order. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		dataRoot: string,
		private readonly log: (message: string) => void = (message) => console.warn(message)
	) {
		this.file = join(dataRoot, LABELS_FILE);
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
		const clean = labels.map((label) => checkLabel(label));
		return this.serial(async () => {
			if (clean.length === 0) return;
			await this.repairTail();
			// O_NOFOLLOW: a link put there since the check is refused by the system too.
			const handle = await open(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
			try {
				await handle.writeFile(clean.map(labelLine).join(''));
				await handle.sync();
			} finally {
				await handle.close();
			}
		});
	}

	/** Every label and the latest per annotator and target; a missing file is no labels. */
	async read(): Promise<LabelSnapshot> {
		const parsed = await this.parse();
		for (const warning of parsed.warnings) this.log(warning);
		return { labels: parsed.labels, latest: latestLabels(parsed.labels), warnings: parsed.warnings };
	}

	private async parse(): Promise<ParsedLabels> {
		let text: string;
		try {
			text = await readFile(this.file, 'utf8');
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return { labels: [], warnings: [] };
			throw error;
		}
		return parseLabelLines(text, LABELS_FILE);
	}

	/**
	 * Before appending after a crash: an unfinished last line would otherwise be glued to the
	 * new label. It is moved to a hidden `.labels.jsonl.unfinished-<time>` file beside (kept for
	 * inspection, ignored by the data folder) and cut off. A complete last line that only lacks
	 * its newline gets one. Creates the folder on first use.
	 */
	private async repairTail(): Promise<void> {
		await this.checkOwnFile();
		let bytes: Buffer;
		try {
			bytes = await readFile(this.file);
		} catch (error) {
			if ((error as { code?: string }).code === 'ENOENT') return;
			throw error;
		}
		if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
		const tailStart = bytes.lastIndexOf(0x0a) + 1;
		if (isLabelLine(bytes.subarray(tailStart).toString('utf8'))) {
			await writeFile(this.file, '\n', { flag: 'a' });
			return;
		}
		const aside = join(dirname(this.file), `.labels.jsonl.unfinished-${new Date().toISOString().replace(/[:.]/g, '-')}`);
		await writeFile(aside, bytes.subarray(tailStart));
		await truncate(this.file, tailStart);
		this.log(`${LABELS_FILE}: an unfinished last line (${bytes.length - tailStart} bytes) was moved to ${aside}`);
	}

	/**
	 * The labels folder must be a folder inside the data folder (links resolved) and the file,
	 * when there is one, a regular file with one name: not a link, not a hard link to a file
	 * elsewhere. Creates the folder on first use.
	 */
	private async checkOwnFile(): Promise<void> {
		const folder = dirname(this.file);
		const root = dirname(folder);
		const refuse = (what: string) => new LabelStoreRefusedError(`${LABELS_FILE}: ${what}; labels are written only to a regular file in the data folder (replace it with one, or move it away)`);
		const folderInfo = await lstat(folder).catch((error) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
		if (folderInfo?.isSymbolicLink()) throw refuse(`its folder labels/ is a link`);
		if (folderInfo && !folderInfo.isDirectory()) throw refuse(`labels/ is not a folder`);
		await mkdir(folder, { recursive: true });
		const [realRoot, realFolder] = await Promise.all([realpath(root), realpath(folder)]);
		const rel = relative(realRoot, realFolder);
		if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw refuse(`its folder labels/ is outside the data folder (through a link)`);
		const info = await lstat(this.file).catch((error) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
		if (!info) return;
		if (info.isSymbolicLink()) throw refuse('it is a link');
		if (!info.isFile()) throw refuse('it is not a regular file');
		if (info.nlink > 1) throw refuse(`it is a hard link (the file has ${info.nlink} names)`);
	}

	private serial<T>(task: () => Promise<T>): Promise<T> {
		const result = this.queue.then(task);
		this.queue = result.catch(() => {});
		return result;
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

/** The labels file is not one the store may write (a link, a hard link, not a regular file). */
export class LabelStoreRefusedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LabelStoreRefusedError';
	}
}

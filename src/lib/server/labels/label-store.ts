// The labels of one data folder: `<data>/labels/labels.jsonl`, append-only, one fsync per
// append, so a label is on disk before the annotator sees it accepted. The data folder lists
// the file as the `labels` table like any other.
import { mkdir, open, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
			const handle = await open(this.file, 'a');
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
		await mkdir(dirname(this.file), { recursive: true });
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

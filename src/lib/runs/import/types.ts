// Shapes shared by the importers of runs made elsewhere: one answer read from a foreign file,
// the verdicts it carries, and the problems met on the way (each naming file, line and field).

export type ImportFormat = 'coveval-released' | 'promptfoo' | 'inspect' | 'plain';

export const IMPORT_FORMATS: readonly ImportFormat[] = ['coveval-released', 'promptfoo', 'inspect', 'plain'];

/**
 * Larger than any real function (SVEN's largest is 114k characters): a whole file or generated
 * blob. A labelled set's program or an imported answer longer than this is a problem naming its
 * line, not imported (the engine caps a live answer at 4 MB the same way, engine/config.ts).
 */
export const MAX_CODE_CHARS = 1_000_000;

/** A verdict a foreign file carries for an answer: a named judge's reading of it. */
export interface CarriedVerdict {
	judge: string;
	/** How the judge was prompted, when known (e.g. the CoV-Eval judge template). */
	template: string | null;
	/** true = vulnerable, false = secure, null = the carried value could not be read. */
	vulnerable: boolean | null;
	/** The value as the file has it (for the verdict row's raw column). */
	raw: string;
	/** What the verdict is a reading of, when a file carries more than one (recorded in the judge run's params). */
	reading?: string;
	/** Why `vulnerable` is null (the row's parse_error), when known. */
	reason?: string;
	/** The source says this grading failed (a grader that timed out, a scorer that raised): the
	 * row is status 'error' with this message and no verdict, whatever pass/fail value it carries. */
	error?: string;
}

/** One model answer from a foreign file, before it is matched to an item. */
export interface ForeignAnswer {
	/** 1-based line where the record starts. */
	line: number;
	model: string;
	sample: number;
	response: string;
	/** How to find the item: by id, or by (task, program text). */
	key: { item_id: string } | { task: string | null; code: string; cwe: string | null; scenario: string | null };
	verdicts: CarriedVerdict[];
	/** Where the record sits inside a one-document file (e.g. "samples[3]"), for messages. */
	path?: string;
}

/** A record that did not come in (or came in only in part), and why. */
export interface ImportProblem {
	file: string;
	line: number | null;
	field: string | null;
	message: string;
}

export function problemText(p: ImportProblem): string {
	const where = p.line === null ? p.file : `${p.file}:${p.line}`;
	return p.field === null ? `${where}: ${p.message}` : `${where}: field "${p.field}": ${p.message}`;
}

/** Problems in the file's order: by line (a stable sort; file-level problems, no line, first). */
export function byLine(a: ImportProblem, b: ImportProblem): number {
	return (a.line ?? 0) - (b.line ?? 0);
}

/** What a format reader makes of one file. */
export interface ReadAnswers {
	/** Answer records in the file (read or not). */
	total: number;
	answers: ForeignAnswer[];
	problems: ImportProblem[];
}

// The runs page's import call: the chosen file is the request body, what it is goes in the query
// (see src/routes/api/imports/+server.ts). Answer shapes are the server's own, imported type-only.
import type { LabelledImportAnswer, ReleasedTask, RunsImportAnswer, UploadAnswer, UploadProblem } from '../../server/imports/upload-import.ts';
import type { ImportFormat } from '../../runs/import/types.ts';
import { errorMessage } from '../tables.svelte.ts';

export type { ImportFormat, LabelledImportAnswer, ReleasedTask, RunsImportAnswer, UploadAnswer, UploadProblem };

/** The formats the panel offers, in the order the CLI's help names them. */
export const FORMAT_CHOICES: { value: ImportFormat | 'auto'; label: string }[] = [
	{ value: 'auto', label: 'detect from the contents' },
	{ value: 'coveval-released', label: 'released CoV-Eval results' },
	{ value: 'promptfoo', label: 'promptfoo results.json' },
	{ value: 'inspect', label: 'Inspect AI JSON eval log' },
	{ value: 'plain', label: 'plain JSONL / CSV (item_id, model, response)' }
];

export const TASK_CHOICES: { value: ReleasedTask | 'auto'; label: string }[] = [
	{ value: 'auto', label: 'read from the records' },
	{ value: 'completion', label: 'code_completion' },
	{ value: 'repair', label: 'vulnerability_repair' },
	{ value: 'detection', label: 'vulnerability_detection_classification' }
];

export interface ImportChoice {
	kind: 'runs' | 'labelled';
	format: ImportFormat | 'auto';
	task: ReleasedTask | 'auto';
	judgeName: string;
	setName: string;
}

/** A set name from a file name: what `covw import --labelled` accepts (letters, digits, _ and -). */
export function setNameFor(fileName: string): string {
	const stem = fileName.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '');
	return stem.slice(0, 64) || 'my-set';
}

export async function importFile(file: File, choice: ImportChoice): Promise<UploadAnswer> {
	const query = new URLSearchParams({ file: file.name, kind: choice.kind });
	if (choice.kind === 'labelled') query.set('set', choice.setName);
	else {
		if (choice.format !== 'auto') query.set('format', choice.format);
		if (choice.task !== 'auto') query.set('task', choice.task);
		if (choice.judgeName.trim()) query.set('judge_name', choice.judgeName.trim());
	}
	const response = await fetch(`/api/imports?${query}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file });
	if (!response.ok) throw new Error(await errorMessage(response));
	return response.json();
}

// The judges' verdicts on one target, from the data folder's `verdicts` table when there is
// one (runs write it; a workbench without runs has none). Shown to an annotator only after
// they have answered, so the judges cannot anchor them.
import { tableFromIPC } from 'apache-arrow';
import { DataFileError, UnknownTableError, type DataFolder } from '../datasets/index.ts';

export interface VerdictView {
	run_id: string | null;
	judge: string | null;
	template: string | null;
	/** Null when the judge's answer was not understood (see status). */
	vulnerable: boolean | null;
	predicted_cwe: string | null;
	status: string | null;
}

export interface VerdictsFor {
	verdicts: VerdictView[];
	/** Why verdicts could not be read (the table failed to load); absent otherwise. */
	error?: string;
}

const COLUMNS = ['run_id', 'judge', 'template', 'vulnerable', 'predicted_cwe', 'status'] as const;

export async function verdictsFor(folder: DataFolder, targetId: string): Promise<VerdictsFor> {
	let bytes: Uint8Array;
	try {
		bytes = await folder.ipcStream('verdicts');
	} catch (error) {
		if (error instanceof UnknownTableError) return { verdicts: [] };
		if (error instanceof DataFileError) return { verdicts: [], error: error.message };
		throw error;
	}
	const table = tableFromIPC(bytes);
	const target = table.getChild('target_id');
	if (!target) return { verdicts: [], error: 'the verdicts table has no target_id column' };
	const columns = COLUMNS.map((name) => table.getChild(name));
	const verdicts: VerdictView[] = [];
	for (let i = 0; i < table.numRows; i++) {
		if (String(target.get(i)) !== targetId) continue;
		const row = Object.fromEntries(COLUMNS.map((name, c) => [name, columns[c]?.get(i) ?? null]));
		verdicts.push({
			run_id: text(row.run_id),
			judge: text(row.judge),
			template: text(row.template),
			vulnerable: typeof row.vulnerable === 'boolean' ? row.vulnerable : null,
			predicted_cwe: text(row.predicted_cwe),
			status: text(row.status)
		});
	}
	return { verdicts };
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

// The judges' verdicts on one target, from the `verdicts` table of the runs (empty until a
// judge has run). Shown to an annotator only after they have answered, so the judges cannot
// anchor them.
import { tableFromIPC } from 'apache-arrow';

/** The verdicts table as Arrow IPC stream bytes; the workbench reads it from the run logs. */
export type VerdictSource = () => Promise<Uint8Array>;

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

export async function verdictsFor(source: VerdictSource, targetId: string): Promise<VerdictsFor> {
	let bytes: Uint8Array;
	try {
		bytes = await source();
	} catch (error) {
		return { verdicts: [], error: `the verdicts could not be read: ${(error as Error).message}` };
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

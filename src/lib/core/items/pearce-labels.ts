// Labels of the Pearce et al. programs in their own repository layout, where no file says
// whether it is vulnerable: each program's first line records Copilot's mean_prob, and
// dow_results.csv lists, per scenario folder, the mean_prob values of the vulnerable and of
// the non-vulnerable suggestions. A program's label is the list its mean_prob is in.
import type { BinaryLabel } from './item.ts';
import { RecordError } from './record-error.ts';

export type PearceLabelTable = Map<string, { vulnerable: Set<number>; nonVulnerable: Set<number> }>;

/** Parses dow_results.csv; keys are scenario folders such as 'experiments_dow/cwe-119/my-eg-1'. */
export function parseDowResults(text: string, file: string): PearceLabelTable {
	const rows = parseCsv(text);
	const header = rows[0] ?? [];
	const column = (name: string): number => {
		const index = header.indexOf(name);
		if (index < 0) throw new RecordError(file, 1, name, 'column missing from the header');
		return index;
	};
	const folderAt = column('scenario_folder');
	const vulnerableAt = column('vulnerable_scores_array');
	const safeAt = column('nonvulnerable_scores_array');
	const table: PearceLabelTable = new Map();
	for (let r = 1; r < rows.length; r++) {
		const row = rows[r];
		if (row.length === 1 && row[0] === '') continue;
		table.set(row[folderAt], {
			vulnerable: new Set(numberList(row[vulnerableAt], file, r + 1, 'vulnerable_scores_array')),
			nonVulnerable: new Set(numberList(row[safeAt], file, r + 1, 'nonvulnerable_scores_array'))
		});
	}
	return table;
}

/** The label of one program, from its mean_prob header line; throws when it cannot be decided. */
export function pearceLabel(table: PearceLabelTable, scenarioFolder: string, code: string): BinaryLabel {
	const scores = table.get(scenarioFolder);
	if (!scores) throw new Error(`dow_results.csv has no row for ${scenarioFolder}`);
	const match = /^\s*(?:\/\/|#)\s*copilot\s+mean_prob:\s*([-+0-9.eE]+)/.exec(code);
	if (!match) throw new Error('the program lacks the mean_prob header line (Pearce et al. file format) its label is looked up by');
	const meanProb = Number(match[1]);
	const vulnerable = scores.vulnerable.has(meanProb);
	const safe = scores.nonVulnerable.has(meanProb);
	if (vulnerable === safe) {
		throw new Error(`mean_prob ${match[1]} is in ${vulnerable ? 'both' : 'neither'} of the score lists of ${scenarioFolder}`);
	}
	return vulnerable ? 'vulnerable' : 'non_vulnerable';
}

function numberList(cell: string | undefined, file: string, line: number, field: string): number[] {
	try {
		const list: unknown = JSON.parse(cell ?? '');
		if (Array.isArray(list) && list.every((x) => typeof x === 'number')) return list;
	} catch {
		// reported below
	}
	throw new RecordError(file, line, field, `expected a list of numbers like "[0.5, 0.7]", got ${JSON.stringify(cell)}`);
}

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

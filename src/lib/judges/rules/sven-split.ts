// The SVEN pairs (../shared/sven/train.jsonl, MIT) as a labelled set for measuring judges, and
// its dev / held-out split. The split was fixed before any judge result on SVEN was looked at:
// by PROJECT (the github owner/repo of the commit), a project is held out when the FNV-1a hash
// of "owner/repo" modulo 10 is below 3 (about 30% of the projects). Every commit, pair and
// function of one project sits on one side, so near-identical code of one project never
// crosses. Rules are written looking at the dev split only; the held-out split is reported.

import { jsonlRecords } from '../../core/json/jsonl-records.ts';
import { fnv1a32 } from '../../core/judges/rules/pearce-split.ts';

export type SvenSplit = 'dev' | 'held-out';

export interface SvenProgram {
	id: string;
	pairId: string;
	cwe: string;
	language: 'c' | 'python' | 'cpp';
	vulnerable: boolean;
	code: string;
	/** github owner/repo of the commit ('' when the record names none). */
	project: string;
	commit: string;
	split: SvenSplit;
}

/** 'github.com/abrt/libreport/commit/239c…' → 'abrt/libreport'. */
export function projectOf(commit: string): string {
	const m = /github\.com\/([^/]+)\/([^/]+)/i.exec(commit);
	return m ? `${m[1]}/${m[2]}`.toLowerCase() : commit.toLowerCase();
}

export function svenSplitOf(project: string): SvenSplit {
	return fnv1a32(project) % 10 < 3 ? 'held-out' : 'dev';
}

/**
 * The two halves of the dev split used to write rules without fitting them (wave 4): misjudged
 * programs are studied in half A only, and a rule is kept only when half B does not get worse.
 * By project again (FNV-1a of "half:" + owner/repo, even → A; the lowest bit of FNV-1a is the
 * parity of the name's odd bytes: a fixed rule blind to the code), so no project sits in both.
 */
export function svenDevHalfOf(project: string): 'A' | 'B' {
	return fnv1a32(`half:${project}`) % 2 === 0 ? 'A' : 'B';
}

/** Parses train.jsonl; a bad line is an error naming the source, line and field. */
export function parseSven(text: string, source = 'train.jsonl'): SvenProgram[] {
	const out: SvenProgram[] = [];
	for (const { where, record, text: field } of jsonlRecords(text, source)) {
		const language = field('language');
		if (language !== 'c' && language !== 'python' && language !== 'cpp') throw new Error(`${where}: field "language" must be "c", "python" or "cpp", got ${JSON.stringify(language)}`);
		const label = field('label');
		if (label !== 'vulnerable' && label !== 'secure') throw new Error(`${where}: field "label" must be "vulnerable" or "secure", got ${JSON.stringify(label)}`);
		const origin = record.origin as Record<string, unknown> | undefined;
		const commit = origin && typeof origin.commit === 'string' ? origin.commit : '';
		const project = projectOf(commit);
		out.push({ id: field('id'), pairId: field('pair_id'), cwe: field('cwe'), language, vulnerable: label === 'vulnerable', code: field('code'), project, commit, split: svenSplitOf(project) });
	}
	return out;
}

// Runs the rule judge over the Pearce et al. labelled programs (text of dow_programs.jsonl,
// read by the caller) and tabulates agreement per split and per CWE.

import { jsonlRecords } from '../../json/jsonl-records.ts';
import { agreement, type Agreement } from './measure.ts';
import { judgeWithRules } from './judge.ts';
import { heldOutScenarios, splitOf, type SplitName } from './pearce-split.ts';
import type { RuleLanguage, RuleVerdict } from './types.ts';

export interface PearceProgram {
	id: string;
	cwe: string;
	scenario: string;
	language: RuleLanguage;
	code: string;
	vulnerable: boolean;
}

/** Parses dow_programs.jsonl; a bad line is an error naming the source, line and field. */
export function parsePearcePrograms(text: string, source = 'dow_programs.jsonl'): PearceProgram[] {
	const out: PearceProgram[] = [];
	for (const { where, text: field } of jsonlRecords(text, source)) {
		const language = field('language');
		if (language !== 'c' && language !== 'python') throw new Error(`${where}: field "language" must be "c" or "python", got ${JSON.stringify(language)}`);
		const label = field('label');
		if (label !== 'vulnerable' && label !== 'non_vulnerable') throw new Error(`${where}: field "label" must be "vulnerable" or "non_vulnerable", got ${JSON.stringify(label)}`);
		out.push({ id: field('id'), cwe: field('cwe'), scenario: field('scenario'), language, code: field('code'), vulnerable: label === 'vulnerable' });
	}
	return out;
}

export interface JudgedProgram {
	program: PearceProgram;
	split: SplitName;
	verdict: RuleVerdict;
}

export function judgePearce(programs: PearceProgram[]): JudgedProgram[] {
	const heldOut = heldOutScenarios(programs);
	return programs.map((program) => ({
		program,
		split: splitOf(heldOut, program.cwe, program.scenario),
		verdict: judgeWithRules({ code: program.code, language: program.language, cwe: program.cwe })
	}));
}

export interface MeasurementRow {
	split: SplitName | 'all';
	/** 'overall' or a canonical CWE id. */
	group: string;
	agreement: Agreement;
}

export function measurementTable(judged: JudgedProgram[]): MeasurementRow[] {
	const rows: MeasurementRow[] = [];
	const cwes = [...new Set(judged.map((j) => j.verdict.cwe))].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
	for (const split of ['dev', 'held-out', 'all'] as const) {
		const inSplit = judged.filter((j) => split === 'all' || j.split === split);
		const toRow = (list: JudgedProgram[]) => list.map((j) => ({ labelVulnerable: j.program.vulnerable, judgedVulnerable: j.verdict.vulnerable }));
		rows.push({ split, group: 'overall', agreement: agreement(toRow(inSplit)) });
		for (const cwe of cwes) {
			const list = inSplit.filter((j) => j.verdict.cwe === cwe);
			if (list.length) rows.push({ split, group: cwe, agreement: agreement(toRow(list)) });
		}
	}
	return rows;
}

export function formatMeasurementTable(rows: MeasurementRow[]): string {
	const header = 'split     group      n     consist%   judgeSR%  labelSR%  Diff(pp)  TP  FP  TN  FN';
	const lines = [header];
	for (const { split, group, agreement: a } of rows) {
		lines.push(
			[
				split.padEnd(9), group.padEnd(9), String(a.n).padStart(5), a.consistency.toFixed(2).padStart(10),
				a.judgeSecurityRate.toFixed(2).padStart(9), a.labelSecurityRate.toFixed(2).padStart(9), (a.diff >= 0 ? '+' : '') + a.diff.toFixed(2).padStart(8),
				String(a.truePositives).padStart(3), String(a.falsePositives).padStart(3), String(a.trueNegatives).padStart(3), String(a.falseNegatives).padStart(3)
			].join(' ')
		);
	}
	return lines.join('\n');
}

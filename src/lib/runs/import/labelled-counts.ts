// The counts of a labelled import that add up, as `covw import --labelled` prints them and the
// runs page's import panel shows them: every program of the file is imported, unsupported or not
// imported for a reason; then what is worth knowing about the programs that came in.
import type { LabelledSetMeta } from './labelled-set.ts';

type CountsMeta = Pick<LabelledSetMeta, 'records' | 'items' | 'unsupported'> & Partial<Pick<LabelledSetMeta, 'programs' | 'bad_lines' | 'not_imported' | 'conflicting_labels' | 'cwe_from_list' | 'cwe_from_pair' | 'outside_benchmark_cwes'>>;

const sum = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
const list = (r: Record<string, number> | undefined) =>
	Object.entries(r ?? {})
		.map(([k, n]) => `${k} ${n}`)
		.join(', ');

/** Programs the file's readable records hold (older metas without the count: imported + unsupported). */
export const labelledPrograms = (m: CountsMeta): number => m.programs ?? m.items + sum(m.unsupported);

/** The "counts: …" line, then the notes (each indented by two spaces). */
export function labelledCountLines(m: CountsMeta): string[] {
	const lines = [
		`counts: ${m.records} record(s)${m.bad_lines ? ` (${m.bad_lines} unreadable line(s))` : ''} holding ${labelledPrograms(m)} program(s) = ${m.items} imported + ${sum(m.unsupported)} unsupported${sum(m.unsupported) ? ` (${list(m.unsupported)})` : ''} + ${sum(m.not_imported)} not imported${sum(m.not_imported) ? ` (${list(m.not_imported)})` : ''}`
	];
	const notes = [
		m.conflicting_labels ? `${m.conflicting_labels} imported program(s) share their code with an earlier one of the other label` : '',
		m.cwe_from_list?.several ? `${m.cwe_from_list.several} program(s) list several CWEs: kept the first of the benchmark's 18 for ${m.cwe_from_list.benchmark}, the first listed for ${m.cwe_from_list.first}` : '',
		m.cwe_from_pair ? `${m.cwe_from_pair} secure side(s) of a pair list no CWE and take their vulnerable side's` : '',
		m.outside_benchmark_cwes ? `${m.outside_benchmark_cwes} imported program(s) have a CWE outside the benchmark's 18` : ''
	].filter(Boolean);
	return [...lines, ...notes.map((n) => `  ${n}`)];
}

// The browser's calls to the labelling API. The shapes are the server's own types, imported
// type-only (erased at build time: no server code reaches the browser).
import type { AgreementSummary, AnnotatorCounts } from '../../core/labels/aggregate.ts';
import type { Answer } from '../../core/labels/answer.ts';
import type { Label } from '../../core/labels/label.ts';
import type { Facet, Progress } from '../../core/labels/queue.ts';
import type { EvolveRunSource, GenerationRunSource, Reveal, Sources, TargetAnswer, TargetView } from '../../server/labels/labelling.ts';
import type { VerdictView } from '../../server/labels/verdicts.ts';
import { errorMessage } from '../tables.svelte.ts';

export type { EvolveRunSource, Facet, GenerationRunSource, Progress, Reveal, Sources, TargetAnswer, TargetView, VerdictView };

export interface SourceFilter {
	/** An item set; '' for all items (ignored when `run` is given). */
	set: string;
	/** A generation run id ('*' for every run's generations); '' to label benchmark items. */
	run: string;
	/** An evolve run id: accept or reject its Vul-Evol survivors; '' otherwise (wins over `run` and `set`). */
	evolve?: string;
	cwe: string;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
	const response = await fetch(url, init);
	if (!response.ok) throw new Error(await errorMessage(response));
	return response.json();
}

const query = (params: Record<string, string | undefined>) =>
	new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();

export const labelsApi = {
	sources: () => call<Sources>('/api/labels/sources'),
	target: (annotator: string, filter: SourceFilter, targetId?: string) =>
		call<TargetAnswer>(
			`/api/labels/next?${query({ annotator, set: filter.run || filter.evolve ? undefined : filter.set, run: filter.evolve ? undefined : filter.run, evolve: filter.evolve, cwe: filter.cwe, target_id: targetId })}`
		),
	give: (targetId: string, annotator: string, answer: Answer, note: string) =>
		call<{ label: Label; reveal: Reveal | null }>('/api/labels', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				target_id: targetId,
				annotator,
				answer: answer.kind,
				cwe: answer.kind === 'other_cwe' ? answer.cwe : undefined,
				reason: answer.kind === 'reject' ? answer.reason : undefined,
				note
			})
		}),
	mine: (annotator: string) => call<{ labels: Label[]; total: number }>(`/api/labels?${query({ annotator })}`),
	agreement: (a?: string, b?: string) => call<AgreementSummary & { warnings: string[] }>(`/api/labels/agreement?${query({ a, b })}`),
	importCsv: (file: File) =>
		call<{ added: number; already: number }>(`/api/labels/csv?${query({ file: file.name })}`, {
			method: 'POST',
			headers: { 'content-type': 'text/csv' },
			body: file
		})
};

/** What a CSV import did: "imported 12 label(s) from x.csv" — or "0 new, 12 already there" on a file imported before. */
export function importMessage(file: string, added: number, already: number): string {
	if (already === 0) return `imported ${added} label(s) from ${file}`;
	return `${file}: ${added} new, ${already} already there${added === 0 ? ' (nothing added)' : ''}`;
}

/** One annotator's line in the agreement panel: answers on code, and accept/reject decisions on survivors, apart. */
export function annotatorText(a: AnnotatorCounts): string {
	const decisions = a.decisions > 0 ? `, ${a.decisions} survivor(s) accepted or rejected` : '';
	return `${a.annotator}: ${a.answered} answered${decisions}, ${a.skipped} skipped`;
}

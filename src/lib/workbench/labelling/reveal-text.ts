// The revealed dataset label as a sentence: "The dataset labels this program vulnerable (CWE-79);
// from e2e/greet." rather than a bare "Dataset label: vulnerable CWE-79 e2e/greet".

export interface DatasetLabel {
	dataset_label: string | null;
	dataset_label_class: string | null;
	source: string;
}

export function datasetLabelSentence(r: DatasetLabel): string {
	const from = r.source ? ` (source: ${r.source})` : '';
	if (r.dataset_label === null) return `The dataset gives this program no label${from}.`;
	if (r.dataset_label === 'non_vulnerable') return `The dataset labels this program not vulnerable${from}.`;
	if (r.dataset_label === 'vulnerable') {
		const cwe = r.dataset_label_class && r.dataset_label_class !== 'vulnerable' ? ` to ${r.dataset_label_class}` : '';
		return `The dataset labels this program vulnerable${cwe}${from}.`;
	}
	return `The dataset labels this program "${r.dataset_label}"${from}.`;
}

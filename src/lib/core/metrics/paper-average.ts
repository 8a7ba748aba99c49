/**
 * The `average` column of the paper's Table 1.
 *
 * Found by checking candidates against the published table: it is the plain mean of the four
 * headline scores — code completion SR@1 on the whole set, repair SR@1, detection F1 and
 * classification weighted F1. It reproduces all 20 published rows within 0.005, i.e. up to
 * the rounding of its inputs (the paper seems to average unrounded scores: 69.435 is printed
 * as 69.43 but 66.545 as 66.55). Recall, classification accuracy and HumanEval are not in it.
 */

export interface PaperAverageInputs {
	cc_total_sr1: number;
	repair_sr1: number;
	detection_f1: number;
	classification_f1: number;
}

/** Table 1's average, in percent (inputs in percent). */
export function paperAverage(scores: PaperAverageInputs): number {
	const parts = [scores.cc_total_sr1, scores.repair_sr1, scores.detection_f1, scores.classification_f1];
	const names = ['cc_total_sr1', 'repair_sr1', 'detection_f1', 'classification_f1'];
	parts.forEach((value, i) => {
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw new Error(`paperAverage: ${names[i]} must be a finite number, got ${JSON.stringify(value)}`);
		}
	});
	return (parts[0] + parts[1] + parts[2] + parts[3]) / 4;
}

/**
 * Classification scores with scikit-learn's semantics (zero_division = 0). Values are
 * fractions in [0, 1], as sklearn returns them; the task-level modules (detection.ts,
 * evaluator.ts) convert to the paper's percentages.
 *
 * Every function throws on a length mismatch or on empty input.
 */

function checkPairs(fn: string, truth: { length: number }, predicted: { length: number }): void {
	if (truth.length !== predicted.length) {
		throw new Error(`${fn}: truth and predicted differ in length (${truth.length} vs ${predicted.length})`);
	}
	if (truth.length === 0) throw new Error(`${fn}: needs at least one pair`);
}

/** 0 instead of NaN when a denominator is empty, like sklearn's zero_division=0. */
function ratio(numerator: number, denominator: number): number {
	return denominator === 0 ? 0 : numerator / denominator;
}

export interface BinaryMetrics {
	n: number;
	tp: number;
	fp: number;
	tn: number;
	fn: number;
	precision: number;
	recall: number;
	f1: number;
	accuracy: number;
}

/** Binary scores with true as the positive class (in this project: true = vulnerable). */
export function binaryMetrics(truth: readonly boolean[], predicted: readonly boolean[]): BinaryMetrics {
	checkPairs('binaryMetrics', truth, predicted);
	let tp = 0;
	let fp = 0;
	let tn = 0;
	let fn = 0;
	for (let i = 0; i < truth.length; i++) {
		if (typeof truth[i] !== 'boolean' || typeof predicted[i] !== 'boolean') {
			throw new Error(`binaryMetrics: pair ${i} is not two booleans (${String(truth[i])}, ${String(predicted[i])})`);
		}
		if (predicted[i]) {
			if (truth[i]) tp++;
			else fp++;
		} else if (truth[i]) fn++;
		else tn++;
	}
	const n = truth.length;
	return {
		n,
		tp,
		fp,
		tn,
		fn,
		precision: ratio(tp, tp + fp),
		recall: ratio(tp, tp + fn),
		// 2tp / (2tp + fp + fn) equals 2PR / (P + R) whenever that is defined, and is 0 otherwise.
		f1: ratio(2 * tp, 2 * tp + fp + fn),
		accuracy: (tp + tn) / n
	};
}

/** Share of positions where predicted === truth. */
export function accuracy<T>(truth: readonly T[], predicted: readonly T[]): number {
	checkPairs('accuracy', truth, predicted);
	let hits = 0;
	for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) hits++;
	return hits / truth.length;
}

/**
 * Confusion matrix: counts[i][j] = pairs whose truth is labels[i] and prediction labels[j]
 * (rows are the truth, as in sklearn). labels = sorted union of both sides.
 */
export function confusionMatrix(
	truth: readonly string[],
	predicted: readonly string[]
): { labels: string[]; counts: number[][] } {
	checkPairs('confusionMatrix', truth, predicted);
	const labels = sortedUnion(truth, predicted);
	const position = new Map(labels.map((label, i) => [label, i]));
	const counts = labels.map(() => labels.map(() => 0));
	for (let i = 0; i < truth.length; i++) {
		counts[position.get(truth[i])!][position.get(predicted[i])!]++;
	}
	return { labels, counts };
}

/**
 * sklearn f1_score(truth, predicted, average='weighted', zero_division=0): per-label F1 over
 * the union of labels, averaged with weights = each label's support in truth. A label that
 * only appears in predictions has weight 0 but still costs the true labels their precision.
 */
export function weightedF1(truth: readonly string[], predicted: readonly string[]): number {
	checkPairs('weightedF1', truth, predicted);
	const { labels, counts } = confusionMatrix(truth, predicted);
	let weighted = 0;
	for (let k = 0; k < labels.length; k++) {
		const tp = counts[k][k];
		let support = 0;
		let predictedCount = 0;
		for (let j = 0; j < labels.length; j++) {
			support += counts[k][j];
			predictedCount += counts[j][k];
		}
		const fp = predictedCount - tp;
		const fn = support - tp;
		weighted += support * ratio(2 * tp, 2 * tp + fp + fn);
	}
	return weighted / truth.length;
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
	const set = new Set<string>();
	for (let i = 0; i < a.length; i++) {
		if (typeof a[i] !== 'string') throw new Error(`label at truth[${i}] is not a string (${String(a[i])})`);
		set.add(a[i]);
	}
	for (let i = 0; i < b.length; i++) {
		if (typeof b[i] !== 'string') throw new Error(`label at predicted[${i}] is not a string (${String(b[i])})`);
		set.add(b[i]);
	}
	// Code-unit order, the order numpy.unique gives ASCII labels such as 'CWE-22'.
	return [...set].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

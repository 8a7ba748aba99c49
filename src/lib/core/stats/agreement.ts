/** Chance-corrected agreement between raters (judges, human annotators). */

/**
 * Cohen's kappa for two raters over the same subjects, with the semantics of
 * sklearn.metrics.cohen_kappa_score (unweighted): categories are the union of both raters'
 * labels; kappa = (p_o - p_e) / (1 - p_e). NaN when p_e = 1 (both raters used one and the
 * same label throughout: agreement beyond chance is undefined). Labels compare with ===, so
 * true and 'true' are different categories.
 */
export function cohenKappa(a: readonly (string | boolean)[], b: readonly (string | boolean)[]): number {
	if (a.length !== b.length) {
		throw new Error(`cohenKappa: raters differ in length (${a.length} vs ${b.length})`);
	}
	const n = a.length;
	if (n === 0) throw new Error('cohenKappa: needs at least one rated subject');
	const countA = new Map<string | boolean, number>();
	const countB = new Map<string | boolean, number>();
	let agree = 0;
	for (let i = 0; i < n; i++) {
		if (a[i] === b[i]) agree++;
		countA.set(a[i], (countA.get(a[i]) ?? 0) + 1);
		countB.set(b[i], (countB.get(b[i]) ?? 0) + 1);
	}
	let expected = 0;
	for (const [label, ca] of countA) expected += ca * (countB.get(label) ?? 0);
	const pObserved = agree / n;
	const pExpected = expected / (n * n);
	if (pExpected === 1) return NaN;
	return (pObserved - pExpected) / (1 - pExpected);
}

/**
 * Fleiss' kappa (Fleiss 1971) for many raters. `counts[i][j]` = how many raters put subject i
 * in category j; every subject must have the same number of raters (at least 2). NaN when
 * every rating falls in one category (P_e = 1).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
	const subjects = counts.length;
	if (subjects === 0) throw new Error('fleissKappa: needs at least one subject (row)');
	const categories = counts[0].length;
	if (categories === 0) throw new Error('fleissKappa: needs at least one category (column)');
	let raters = -1;
	const categoryTotals = new Float64Array(categories);
	let sumAgreement = 0;
	for (let i = 0; i < subjects; i++) {
		const row = counts[i];
		if (row.length !== categories) {
			throw new Error(`fleissKappa: row ${i} has ${row.length} categories, row 0 has ${categories}`);
		}
		let rowTotal = 0;
		let sumSquares = 0;
		for (let j = 0; j < categories; j++) {
			const c = row[j];
			if (!Number.isInteger(c) || c < 0) {
				throw new Error(`fleissKappa: counts[${i}][${j}] must be a non-negative integer, got ${String(c)}`);
			}
			rowTotal += c;
			sumSquares += c * c;
			categoryTotals[j] += c;
		}
		if (raters === -1) {
			raters = rowTotal;
			if (raters < 2) throw new Error(`fleissKappa: needs at least 2 raters per subject, row 0 has ${raters}`);
		} else if (rowTotal !== raters) {
			throw new Error(`fleissKappa: row ${i} has ${rowTotal} ratings, row 0 has ${raters}; every subject needs the same number of raters`);
		}
		// P_i: the share of agreeing rater pairs on subject i.
		sumAgreement += (sumSquares - raters) / (raters * (raters - 1));
	}
	const pBar = sumAgreement / subjects;
	let pExpected = 0;
	for (let j = 0; j < categories; j++) {
		const p = categoryTotals[j] / (subjects * raters);
		pExpected += p * p;
	}
	if (pExpected === 1) return NaN;
	return (pBar - pExpected) / (1 - pExpected);
}

/** The 2×2 cells of a binary judge against binary labels (true = vulnerable). */
export interface KappaCells {
	tp: number;
	fp: number;
	tn: number;
	fn: number;
}

/**
 * Why Cohen's κ of a judge against labels says nothing, or null when it says something. When the
 * judge gave one answer on every program (always "safe"), or the labels are all one class, κ is
 * 0 (or undefined) whatever the judge's skill, and a bootstrap interval collapses to [0, 0]:
 * reporting "0.00 [0.00, 0.00]" reads as a precise measurement of no agreement, which it is not.
 */
export function kappaUninformative(c: KappaCells): string | null {
	const n = c.tp + c.fp + c.tn + c.fn;
	if (n === 0) return null;
	const judgeVulnerable = c.tp + c.fp;
	const labelVulnerable = c.tp + c.fn;
	const judgeOne = judgeVulnerable === 0 || judgeVulnerable === n;
	const labelsOne = labelVulnerable === 0 || labelVulnerable === n;
	const answer = judgeVulnerable === 0 ? 'secure' : 'vulnerable';
	const label = labelVulnerable === 0 ? 'secure' : 'vulnerable';
	if (judgeOne && labelsOne) return `the judge gave one answer (${answer}) and the labels are one class (${label}) on every program`;
	if (judgeOne) return `the judge gave one answer on every program: ${answer}`;
	if (labelsOne) return `the labels are all one class: ${label}`;
	return null;
}

/**
 * κ as reported everywhere (CLI, run page): "0.53" plus the interval text given, or "— (the judge
 * gave one answer on every program: secure)" when kappaUninformative finds a reason (no interval then).
 */
export function kappaText(score: KappaCells & { kappa: number }, interval = '', digits = 2): string {
	const why = kappaUninformative(score);
	if (why) return `— (${why})`;
	return `${Number.isFinite(score.kappa) ? score.kappa.toFixed(digits) : '-'}${interval}`;
}

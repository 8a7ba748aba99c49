// Agreement of a judge with reference labels, as in the paper's Table 5:
// consistency = accuracy against the labels (%), Diff = security rate by the judge minus
// security rate by the labels (percentage points; positive = the judge calls more code safe).

export interface LabelledVerdict {
	/** Reference label. */
	labelVulnerable: boolean;
	/** Judge verdict. */
	judgedVulnerable: boolean;
}

export interface Agreement {
	n: number;
	consistency: number;
	judgeSecurityRate: number;
	labelSecurityRate: number;
	diff: number;
	truePositives: number;
	falsePositives: number;
	trueNegatives: number;
	falseNegatives: number;
}

export function agreement(rows: LabelledVerdict[]): Agreement {
	let tp = 0, fp = 0, tn = 0, fn = 0;
	for (const r of rows) {
		if (r.judgedVulnerable && r.labelVulnerable) tp++;
		else if (r.judgedVulnerable) fp++;
		else if (r.labelVulnerable) fn++;
		else tn++;
	}
	const n = rows.length;
	const pct = (x: number) => (n === 0 ? NaN : (100 * x) / n);
	const judgeSecurityRate = pct(tn + fn);
	const labelSecurityRate = pct(tn + fp);
	return {
		n,
		consistency: pct(tp + tn),
		judgeSecurityRate,
		labelSecurityRate,
		diff: judgeSecurityRate - labelSecurityRate,
		truePositives: tp,
		falsePositives: fp,
		trueNegatives: tn,
		falseNegatives: fn
	};
}

/**
 * Scores for the detection-and-classification task (paper, Table 1):
 * - detection: binary, vulnerable is the positive class: precision, recall, F1, accuracy;
 * - classification: 19 classes (18 CWEs + non-vulnerable): sklearn-style weighted F1 and
 *   accuracy.
 * All scores in percent (0-100). Rows whose answer failed ('error') or could not be read
 * ('unparsed'; 'no_code' is counted with them) are excluded from every score and counted.
 */

import { isStatus, type Status } from '../status.ts';
import { accuracy, binaryMetrics, weightedF1, type BinaryMetrics } from './classification.ts';
import { rowLocator, type RowSource } from './row-error.ts';

export interface DetectionRow {
	status: Status;
	/** true = the item is vulnerable. */
	truth_binary: boolean;
	/** Must be a boolean when status is 'ok', ignored otherwise. */
	predicted_binary: boolean | null;
	/** The item's class: a CWE id or the non-vulnerable label, spelled as the caller chooses. */
	truth_class: string;
	/** Must be a string when status is 'ok', ignored otherwise. */
	predicted_class: string | null;
}

export interface DetectionScores {
	/** Rows scored (status 'ok'). */
	n: number;
	n_error: number;
	n_unparsed: number;
	detection: Omit<BinaryMetrics, 'n'>;
	classification: {
		weighted_f1: number;
		accuracy: number;
	};
}

export function detectionScores(rows: readonly DetectionRow[], where?: RowSource): DetectionScores {
	const fail = rowLocator(where, 'detectionScores');
	const truthBinary: boolean[] = [];
	const predictedBinary: boolean[] = [];
	const truthClass: string[] = [];
	const predictedClass: string[] = [];
	let n_error = 0;
	let n_unparsed = 0;
	rows.forEach((row, index) => {
		if (row === null || typeof row !== 'object') throw fail(index, '(row)', 'not an object');
		if (!isStatus(row.status)) {
			throw fail(index, 'status', `must be 'ok', 'error', 'unparsed' or 'no_code', got ${JSON.stringify(row.status)}`);
		}
		if (typeof row.truth_binary !== 'boolean') {
			throw fail(index, 'truth_binary', `must be true or false, got ${JSON.stringify(row.truth_binary)}`);
		}
		if (typeof row.truth_class !== 'string' || row.truth_class === '') {
			throw fail(index, 'truth_class', `must be a non-empty string, got ${JSON.stringify(row.truth_class)}`);
		}
		if (row.status === 'error') {
			n_error++;
			return;
		}
		if (row.status === 'unparsed' || row.status === 'no_code') {
			n_unparsed++;
			return;
		}
		if (typeof row.predicted_binary !== 'boolean') {
			throw fail(index, 'predicted_binary', `must be true or false when status is 'ok', got ${JSON.stringify(row.predicted_binary)}`);
		}
		if (typeof row.predicted_class !== 'string' || row.predicted_class === '') {
			throw fail(index, 'predicted_class', `must be a non-empty string when status is 'ok', got ${JSON.stringify(row.predicted_class)}`);
		}
		truthBinary.push(row.truth_binary);
		predictedBinary.push(row.predicted_binary);
		truthClass.push(row.truth_class);
		predictedClass.push(row.predicted_class);
	});

	const n = truthBinary.length;
	if (n === 0) {
		return {
			n,
			n_error,
			n_unparsed,
			detection: { tp: 0, fp: 0, tn: 0, fn: 0, precision: NaN, recall: NaN, f1: NaN, accuracy: NaN },
			classification: { weighted_f1: NaN, accuracy: NaN }
		};
	}
	const b = binaryMetrics(truthBinary, predictedBinary);
	return {
		n,
		n_error,
		n_unparsed,
		detection: {
			tp: b.tp,
			fp: b.fp,
			tn: b.tn,
			fn: b.fn,
			precision: 100 * b.precision,
			recall: 100 * b.recall,
			f1: 100 * b.f1,
			accuracy: 100 * b.accuracy
		},
		classification: {
			weighted_f1: 100 * weightedF1(truthClass, predictedClass),
			accuracy: 100 * accuracy(truthClass, predictedClass)
		}
	};
}

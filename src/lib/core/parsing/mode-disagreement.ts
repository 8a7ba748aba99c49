// How much the choice of scoring mode matters for one run: the items that 'paper' and
// 'strict' read differently.
import { parseDetectionAnswer } from './detection-answer.ts';

export interface ModeDisagreement {
	total: number;
	/** Items whose binary verdict differs (an unparsed strict answer counts as different). */
	binary: number;
	/** Items whose 19-class label differs (unparsed or unnamed-CWE strict answers count as different). */
	classLabel: number;
	/** Items that differ in either. */
	any: number;
	/** Strict answers that were unparsed (paper mode forced a verdict on them). */
	strictUnparsed: number;
	/** Indices (into the input) of the items that differ. */
	indices: number[];
}

export function compareDetectionModes(responses: readonly string[]): ModeDisagreement {
	const result: ModeDisagreement = { total: responses.length, binary: 0, classLabel: 0, any: 0, strictUnparsed: 0, indices: [] };
	responses.forEach((response, index) => {
		const paper = parseDetectionAnswer(response, 'paper');
		const strict = parseDetectionAnswer(response, 'strict');
		if (paper.status !== 'ok') return; // paper mode is always ok; narrows the type
		let binaryDiffers: boolean;
		let classDiffers: boolean;
		if (strict.status !== 'ok') {
			result.strictUnparsed++;
			binaryDiffers = classDiffers = true;
		} else {
			binaryDiffers = strict.vulnerable !== paper.vulnerable;
			classDiffers = strict.label_class !== paper.label_class;
		}
		if (binaryDiffers) result.binary++;
		if (classDiffers) result.classLabel++;
		if (binaryDiffers || classDiffers) {
			result.any++;
			result.indices.push(index);
		}
	});
	return result;
}

// The annotator's name, remembered in this browser so a reload keeps who is labelling.
import { ANNOTATOR_PATTERN } from '../../core/labels/label.ts';

const KEY = 'covw.labelling.annotator';

export function rememberedAnnotator(): string {
	try {
		const name = localStorage.getItem(KEY) ?? '';
		return ANNOTATOR_PATTERN.test(name) ? name : '';
	} catch {
		return ''; // storage disabled: the annotator types their name each time
	}
}

export function rememberAnnotator(name: string): void {
	try {
		localStorage.setItem(KEY, name);
	} catch {
		/* storage disabled: nothing to remember with */
	}
}

export function isValidAnnotator(name: string): boolean {
	return ANNOTATOR_PATTERN.test(name);
}

// The dataset label, revealed after an answer, reads as a sentence.
import { describe, expect, it } from 'vitest';
import { datasetLabelSentence } from '../../../../src/lib/workbench/labelling/reveal-text.ts';

describe('dataset label sentence', () => {
	it('says what the dataset labels the program, with its CWE and source', () => {
		expect(datasetLabelSentence({ dataset_label: 'vulnerable', dataset_label_class: 'CWE-79', source: 'toy/a' })).toBe(
			'The dataset labels this program vulnerable to CWE-79 (source: toy/a).'
		);
		expect(datasetLabelSentence({ dataset_label: 'non_vulnerable', dataset_label_class: 'non_vulnerable', source: 'toy/b' })).toBe(
			'The dataset labels this program not vulnerable (source: toy/b).'
		);
		expect(datasetLabelSentence({ dataset_label: null, dataset_label_class: null, source: '' })).toBe('The dataset gives this program no label.');
	});
});

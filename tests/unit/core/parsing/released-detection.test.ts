// Paper mode must reproduce the released detection/classification scores of
// llama3.1-8b-instruct (…/_scores.json beside the results file), read at run time from
// ../shared/coveval. Scores are computed with the metrics module's sklearn-equivalent
// binaryMetrics/weightedF1.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeCweId } from '../../../../src/lib/core/cwe.ts';
import { parseJsonDocuments, parseJsonLines } from '../../../../src/lib/core/items/json-records.ts';
import { binaryMetrics, weightedF1 } from '../../../../src/lib/core/metrics/classification.ts';
import { parseDetectionAnswer } from '../../../../src/lib/core/parsing/detection-answer.ts';
import { compareDetectionModes } from '../../../../src/lib/core/parsing/mode-disagreement.ts';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/coveval/cov-eval');
const resultsFile = `${shared}/released_results/vulnerability_detection_classification/llama3.1-8b-instruct.json`;
const inputsFile = `${shared}/detection_classification/detection_inputs.jsonl`;
const missing = !existsSync(resultsFile) || !existsSync(inputsFile);
if (missing) console.warn(`skipping released-detection tests: ${resultsFile} or ${inputsFile} is absent`);

describe.skipIf(missing)('released llama3.1-8b detection results', () => {
	const load = () => {
		const results = parseJsonDocuments(readFileSync(resultsFile, 'utf8'), resultsFile).map((r) => r.value);
		// True labels come from the inputs file (the results file does not store them).
		const truthById = new Map(
			parseJsonLines(readFileSync(inputsFile, 'utf8'), inputsFile).map((r) => [
				r.value.file_name as string,
				r.value.label_multiclass === 'non_vulnerable' ? 'non_vulnerable' : normalizeCweId(r.value.label_multiclass as string)
			])
		);
		const truth = results.map((r) => truthById.get(r.source_code_id as string)!);
		return { results, truth };
	};

	it('reads the concatenated JSON objects: 531 records', () => {
		const { results, truth } = load();
		expect(results).toHaveLength(531);
		expect(truth.filter((t) => t === undefined)).toHaveLength(0);
		expect(truth.filter((t) => t === 'non_vulnerable')).toHaveLength(54);
	});

	it('paper mode agrees with every stored multi_match and binary_match', () => {
		const { results, truth } = load();
		results.forEach((r, i) => {
			const parsed = parseDetectionAnswer(r.response as string, 'paper');
			if (parsed.status !== 'ok') throw new Error('paper mode is never unparsed');
			expect(parsed.label_class === truth[i], `multi_match of record ${i}`).toBe(r.multi_match);
			expect(parsed.vulnerable === (truth[i] !== 'non_vulnerable'), `binary_match of record ${i}`).toBe(r.binary_match);
		});
	});

	it('paper mode gives binary F1 0.8975712777 and weighted F1 0.2952169311 (the _scores.json values)', () => {
		const { results, truth } = load();
		const parsed = results.map((r) => parseDetectionAnswer(r.response as string, 'paper'));
		const predictedBinary = parsed.map((p) => (p.status === 'ok' ? p.vulnerable : true));
		const predictedClass = parsed.map((p) => (p.status === 'ok' ? String(p.label_class) : ''));
		const binary = binaryMetrics(truth.map((t) => t !== 'non_vulnerable'), predictedBinary);
		expect(binary.f1).toBeCloseTo(0.8975712777191129, 10);
		expect(weightedF1(truth, predictedClass)).toBeCloseTo(0.2952169310643333, 10);
	});

	it('strict mode reads some answers differently, and says how many', () => {
		const { results } = load();
		const responses = results.map((r) => r.response as string);
		const diff = compareDetectionModes(responses);
		// Counts from reading all 31 differing answers by hand: 18 say cwe-798 (paper: CWE-79),
		// 5 say cwe-200 (paper: CWE-20), 8 name one CWE in the type field and another (by its
		// MITRE name or id) earlier in the catalogue order elsewhere — or say "No" but mention one.
		expect(diff).toMatchObject({ total: 531, binary: 0, classLabel: 31, any: 31, strictUnparsed: 0 });
		const pairs = diff.indices.map((i) => {
			const paper = parseDetectionAnswer(responses[i], 'paper');
			const strict = parseDetectionAnswer(responses[i], 'strict');
			return `${paper.status === 'ok' ? paper.label_class : '?'}→${strict.status === 'ok' ? strict.label_class : '?'}`;
		});
		expect(pairs.filter((p) => p === 'CWE-79→CWE-798')).toHaveLength(18);
		expect(pairs.filter((p) => p === 'CWE-20→CWE-200')).toHaveLength(5);
	});
});

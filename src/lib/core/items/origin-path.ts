// What an upstream path says about a program: which task set it belongs to, its CWE,
// scenario, index and language. Both layouts go through here — the packed JSONL records
// carry the upstream path in `origin_path`, and a clone has the files at those paths — so
// one classifier serves both and they cannot drift apart.
import { normalizeCweId, type CweId, type Language } from '../cwe.ts';
import type { BinaryLabel } from './item.ts';

export type OriginKind =
	| 'seed' // CoV-Eval code completion, seed scenarios (54)
	| 'vul-evol' // CoV-Eval code completion, Vul-Evol scenarios (270)
	| 'repair' // CoV-Eval vulnerability repair inputs (477)
	| 'detection' // CoV-Eval detection & classification inputs (531)
	| 'pearce' // Pearce et al. generated programs (1,087 labelled)
	| 'train-set' // CoV-Eval's unlabelled training scenarios: not a benchmark set, skipped
	| 'pearce-scenario'; // Pearce's scenario prompts: the same as the seed set, skipped

export interface OriginInfo {
	kind: OriginKind;
	cwe: CweId;
	scenario: string;
	language: Language;
	/** Vul-Evol variant (0-4) or Copilot suggestion number; null for seed scenarios. */
	index: number | null;
	/** Detection set only: the folder the program sits in. */
	folderLabel: BinaryLabel | null;
	/** The path from its upstream anchor on ('datasets/…' or 'experiments_dow/…'), '/'-separated. */
	upstreamPath: string;
}

/** Kinds that become items; the others are recognised and skipped. */
export const ITEM_KINDS: readonly OriginKind[] = ['seed', 'vul-evol', 'repair', 'detection', 'pearce'];

const EXT = '(c|py)';
const CWE = '(cwe-\\d+)';
const DIR = '([^/]+)';
// Pearce program file names: experiments_dow_<cwe>_<scenario>_scenario_copilot_<n>.<ext>
const PROGRAM = `experiments_dow_${CWE}_([^/]+)_scenario_copilot_(\\d+)\\.${EXT}`;
const V1 = '(?:^|/)datasets/CoV-Eval_v1/';

const PATTERNS: Array<{ kind: OriginKind; re: RegExp; build: (m: RegExpExecArray) => Partial<Raw> }> = [
	{
		kind: 'seed',
		re: new RegExp(`${V1}code_completion_task_seed/${CWE}/${DIR}/scenario\\.${EXT}$`),
		build: (m) => ({ cwe: m[1], scenario: m[2], ext: m[3] })
	},
	{
		kind: 'vul-evol',
		re: new RegExp(`${V1}code_completion_task/${CWE}/${DIR}/(\\d+)_scenario\\.${EXT}$`),
		build: (m) => ({ cwe: m[1], scenario: m[2], index: m[3], ext: m[4] })
	},
	{
		kind: 'repair',
		re: new RegExp(`${V1}vulnerability_repair_task/${CWE}/${PROGRAM}$`),
		build: (m) => ({ cwe: m[1], fileCwe: m[2], scenario: m[3], index: m[4], ext: m[5] })
	},
	{
		kind: 'detection',
		re: new RegExp(`${V1}vulnerability_detection_classification_task/(vulnerable|non_vulnerable)/${CWE}/${PROGRAM}$`),
		build: (m) => ({ folderLabel: m[1], cwe: m[2], fileCwe: m[3], scenario: m[4], index: m[5], ext: m[6] })
	},
	{
		kind: 'pearce',
		re: new RegExp(`(?:^|/)experiments_dow/${CWE}/${DIR}/gen_scenario/${PROGRAM}$`),
		build: (m) => ({ cwe: m[1], scenario: m[2], fileCwe: m[3], fileScenario: m[4], index: m[5], ext: m[6] })
	},
	{
		kind: 'train-set',
		re: new RegExp(`(?:^|/)datasets/train-set/${CWE}/${DIR}/\\d+_\\d+_scenario\\.${EXT}$`),
		build: (m) => ({ cwe: m[1], scenario: m[2], ext: m[3] })
	},
	{
		kind: 'pearce-scenario',
		re: new RegExp(`(?:^|/)experiments_dow/${CWE}/${DIR}/scenario\\.${EXT}$`),
		build: (m) => ({ cwe: m[1], scenario: m[2], ext: m[3] })
	}
];

interface Raw {
	cwe: string;
	fileCwe: string;
	scenario: string;
	fileScenario: string;
	index: string;
	ext: string;
	folderLabel: string;
}

/**
 * Classifies a path ('/' or '\' separated; any prefix before the recognised part is
 * ignored). Returns null for paths that are not benchmark programs; throws when a path
 * looks like one but contradicts itself (file name and folder name disagree on the CWE).
 */
export function classifyOriginPath(path: string): OriginInfo | null {
	const normalized = path.replace(/\\/g, '/');
	for (const { kind, re, build } of PATTERNS) {
		const match = re.exec(normalized);
		if (!match) continue;
		const raw = build(match);
		if (raw.fileCwe !== undefined && raw.fileCwe !== raw.cwe) {
			throw new Error(`${path}: the file name says ${raw.fileCwe} but the folder says ${raw.cwe}`);
		}
		if (raw.fileScenario !== undefined && raw.fileScenario !== raw.scenario) {
			throw new Error(`${path}: the file name says scenario ${raw.fileScenario} but the folder says ${raw.scenario}`);
		}
		return {
			kind,
			cwe: normalizeCweId(raw.cwe!),
			scenario: raw.scenario!,
			language: raw.ext === 'c' ? 'c' : 'python',
			index: raw.index === undefined ? null : Number(raw.index),
			folderLabel: (raw.folderLabel as BinaryLabel | undefined) ?? null,
			upstreamPath: normalized.slice(match.index + (normalized[match.index] === '/' ? 1 : 0))
		};
	}
	return null;
}

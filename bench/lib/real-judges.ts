// The judges bench/judges-real.ts measures, behind one small shape: languages read, whether
// the judge can run here, and verdicts for a list of programs (status 'error' is never scored).

import { judgeWithRules } from '../../src/lib/core/judges/rules/judge.ts';
import { createTreeRuleJudge } from '../../src/lib/judges/rules/judge.ts';
import { judgeBatchWithAnalyzer } from '../../src/lib/judges/analyzers/judge.ts';
import { ANALYZER_TOOLS, listAnalyzers } from '../../src/lib/judges/analyzers/registry.ts';
import { ANALYZER_NAMES, type AnalyzerName } from '../../src/lib/judges/analyzers/types.ts';

export interface BenchProgram {
	id: string;
	pairId: string | null;
	cwe: string;
	language: 'c' | 'python';
	vulnerable: boolean;
	code: string;
}

export interface BenchVerdict {
	judged: boolean | null;
	status: 'ok' | 'error';
	/** Why (for comparing two runs program by program): the error, or the rules behind a 'vulnerable'. */
	detail?: string;
	/** An analyzer's every finding's rule, mapped to the target or not (for studying cwe-map.ts). */
	rules?: string[];
}

export interface BenchJudge {
	name: string;
	languages: string[];
	/** The target CWEs it judges (an analyzer's AnalyzerTool.cwes); none: all 18. The others are
	 * not applicable, as in a judge run (no row), and get no verdict here. */
	cwes?: readonly string[];
	/** An opt-in judge (an analyzer such as clang-taint): measured only when named (--judges). */
	optIn?: boolean;
	/** Why it cannot run here, or null. */
	unavailable(): Promise<string | null>;
	judge(programs: BenchProgram[]): Promise<BenchVerdict[]>;
}

/** Programs per call, as a judge run hands them over (runs/analyzer-units.ts ANALYZER_BATCH);
 * judge.ts cuts each call into pieces and runs 2 tool processes at a time (2 cores here). */
const BATCH = 100;
/** Deadline for one program (a batch gets this plus 0.5 s per program; judge.ts). */
const FILE_TIMEOUT_MS = 60_000;

function analyzerJudge(name: AnalyzerName, language: string): BenchJudge {
	return {
		name,
		languages: [language],
		cwes: ANALYZER_TOOLS[name].cwes,
		optIn: ANALYZER_TOOLS[name].optIn,
		async unavailable() {
			const entry = (await listAnalyzers()).find((a) => a.tool === name);
			return entry?.available ? null : (entry?.message ?? `${name}: unknown`);
		},
		async judge(programs) {
			// batches of BATCH programs one after the other, as a judge run does
			const out: BenchVerdict[] = new Array(programs.length);
			for (let i = 0; i < programs.length; i += BATCH) {
				const chunk = programs.slice(i, i + BATCH);
				const verdicts = await judgeBatchWithAnalyzer(name, chunk.map((p) => ({ code: p.code, language: p.language, cwe: p.cwe })), { timeoutMs: FILE_TIMEOUT_MS });
				verdicts.forEach(
					(v, k) =>
						(out[i + k] =
							v.status === 'ok'
								? { judged: v.vulnerable, status: 'ok', detail: v.findings.filter((f) => f.cwes.includes(v.cwe)).map((f) => `${f.rule}@${f.line}`).join(' '), rules: [...new Set(v.findings.map((f) => f.rule))] }
								: { judged: null, status: 'error', detail: v.error })
				);
			}
			return out;
		}
	};
}

/** Analyzer names in the registry with the language each reads. */
async function analyzerJudges(): Promise<BenchJudge[]> {
	const list = await listAnalyzers();
	return ANALYZER_NAMES.map((name) => analyzerJudge(name, list.find((a) => a.tool === name)?.language ?? 'c'));
}

/** A rule judge's verdict, or its refusal (UnjudgeableCodeError: no code, does not parse, too large) as an error. */
function ruleVerdict(judge: () => boolean): BenchVerdict {
	try {
		return { judged: judge(), status: 'ok' };
	} catch (e) {
		return { judged: null, status: 'error', detail: (e as Error).message };
	}
}

const oldRules: BenchJudge = {
	name: 'rules-v1',
	languages: ['c', 'python'],
	unavailable: async () => null,
	async judge(programs) {
		return programs.map((p) => ruleVerdict(() => judgeWithRules({ code: p.code, language: p.language, cwe: p.cwe }).vulnerable));
	}
};

const treeRules: BenchJudge = {
	name: 'rules',
	languages: ['c', 'python'],
	unavailable: async () => null,
	async judge(programs) {
		const judge = await createTreeRuleJudge();
		return programs.map((p) => ruleVerdict(() => judge.judge({ code: p.code, language: p.language, cwe: p.cwe }).vulnerable));
	}
};

export const BENCH_JUDGES: BenchJudge[] = [oldRules, treeRules, ...(await analyzerJudges())];

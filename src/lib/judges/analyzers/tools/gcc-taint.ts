// gcc-taint: GCC 12's -fanalyzer taint checker on a lone C function whose parameters are marked
// attacker-controlled (__attribute__((tainted_args)) put on the definition, tools/c-taint.ts).
// For the bounds targets (CWE-787/125/119), where gcc 12's analyzer has no bounds check of its
// own, it reports an index or offset from a parameter used without a bound check on that path
// (-Wanalyzer-tainted-array-index, -tainted-offset, -tainted-size) and stays silent where a check
// constrains it. For the other targets it is the gcc judge unchanged. Never linked, never run.
// An opt-in judge (named explicitly); measured on SVEN in README "How far the offline judges…".

import type { CweId } from '../../../core/cwe.ts';
import type { AnalyzerTool } from '../types.ts';
import { gccAnalyzer } from './gcc-analyzer.ts';

const BOUNDS: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119'];
const TAINT = 'taint';

export const gccTaint: AnalyzerTool = {
	...gccAnalyzer,
	name: 'gcc-taint',
	executable: 'gcc',
	optIn: true,
	taintStyle: 'tainted-args',
	profileFor: (cwe, version) => (BOUNDS.includes(cwe) ? TAINT : gccAnalyzer.profileFor!(cwe, version)),
	taintParameters: (profile) => profile === TAINT,
	args: (files, profile, prelude) =>
		profile === TAINT
			? ['-fanalyzer', '-fanalyzer-checker=taint', ...gccAnalyzer.args(files, 'compiler-warnings', prelude)]
			: gccAnalyzer.args(files, profile, prelude)
};

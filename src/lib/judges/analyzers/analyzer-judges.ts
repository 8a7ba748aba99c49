// Each analyzer tool (tools/index.ts) as a judge of its own, and 'analyzers' for all of them.
// A tool judges only the programs of its language; whether it is installed (and what its
// version cannot see) is asked at run time (runs/judge-availability.ts).
import { CWE_IDS, TASKS } from '../../core/vocabulary.ts';
import type { JudgeDescriptor } from '../judge.ts';
import { ANALYZER_TOOL_LIST } from './tools/index.ts';
import type { AnalyzerTool } from './types.ts';

export const ALL_ANALYZERS_JUDGE = 'analyzers';

const LANGUAGE_NAME = { c: 'C', python: 'Python' } as const;

export function analyzerJudge(tool: AnalyzerTool): JudgeDescriptor {
	return {
		name: tool.name,
		usage: tool.name,
		family: 'analyzer',
		summary: `${LANGUAGE_NAME[tool.language]} static analyzer (apt-get install ${tool.debianPackage}); reads the code as files, never runs it${tool.cwes ? `; judges ${tool.cwes.join(', ')} only (none of its checks maps to the others)` : ''}`,
		accepts: { languages: [tool.language], cwes: tool.cwes ?? CWE_IDS, tasks: TASKS },
		identity: ['judge', 'tool version', 'source'],
		templates: [],
		execution: { via: 'tool', tool }
	};
}

export const analyzerJudges: readonly JudgeDescriptor[] = ANALYZER_TOOL_LIST.map(analyzerJudge);

export const allAnalyzersJudge: JudgeDescriptor = {
	name: ALL_ANALYZERS_JUDGE,
	usage: ALL_ANALYZERS_JUDGE,
	family: 'analyzer',
	summary: 'every installed analyzer above (but the opt-in ones), one run each',
	accepts: {
		languages: [...new Set(ANALYZER_TOOL_LIST.map((t) => t.language))],
		cwes: CWE_IDS,
		tasks: TASKS
	},
	identity: ['one run per tool, each with its own id'],
	templates: [],
	members: () => ANALYZER_TOOL_LIST.filter((t) => !t.optIn).map((t) => t.name),
	execution: { via: 'members' }
};

// Whether a judge can run here, asked of the judge's kind of execution: direct judges always
// can; an analyzer if its tool is installed (partly, when its version cannot see some checks);
// an LLM judge if endpoints are configured; a composite judge from its members.
import type { EngineConfig } from '../engine/config.ts';
import { toolAvailability } from '../judges/analyzers/locate-tool.ts';
import type { AnalyzerAvailability, AnalyzerOptions } from '../judges/analyzers/types.ts';
import type { JudgeAvailability } from '../judges/judge.ts';
import { describeJudge } from '../judges/registry.ts';

export interface AvailabilityEnv {
	/** Per tool name: which executable, PATH (tests; defaults otherwise). */
	analyzers?: Partial<Record<string, AnalyzerOptions>>;
	/** LLM judges: the engine config, when one could be loaded. */
	config?: EngineConfig | null;
}

/** 'bandit 1.6.2' as printed, or the name before a bare version ('flawfinder 2.0.19'). */
export function toolLabel(tool: string, version: string): string {
	return version.toLowerCase().startsWith(tool) ? version : `${tool} ${version}`;
}

/** An analyzer's availability as a judge's. */
export function fromTool(a: AnalyzerAvailability): JudgeAvailability {
	if (!a.available) return { state: 'unable', reasons: [a.message ?? `${a.tool} is not available`] };
	const detail = `${toolLabel(a.tool, a.version ?? '')} (${a.path})`;
	return a.limitations?.length ? { state: 'partly', detail, reasons: a.limitations } : { state: 'able', detail, reasons: [] };
}

export async function judgeAvailability(spec: string, env: AvailabilityEnv = {}): Promise<JudgeAvailability> {
	const { judge, error } = describeJudge(spec);
	if (!judge || error) return { state: 'unable', reasons: [error ?? `no judge "${spec}"`] };
	const execution = judge.execution;
	switch (execution.via) {
		case 'direct':
			return { state: 'able', reasons: [] };
		case 'tool':
			return fromTool(await toolAvailability(execution.tool, env.analyzers?.[execution.tool.name]));
		case 'engine': {
			if (!env.config) return { state: 'unable', reasons: ['no engine config: set OPENAI_BASE_URL or write covw.config.json'] };
			return { state: 'able', detail: `endpoints from ${env.config.source}`, reasons: [] };
		}
		case 'members':
		case 'ensemble': {
			const members = judge.members?.(spec) ?? [];
			const each = await Promise.all(members.map((m) => judgeAvailability(m, env)));
			const able = each.filter((a) => a.state !== 'unable').length;
			const reasons = each.flatMap((a, i) => a.reasons.map((r) => `${members[i]}: ${r}`));
			// A group runs the members it can; an ensemble needs every member.
			const state =
				execution.via === 'members'
					? able === 0 ? 'unable' : able === members.length && each.every((a) => a.state === 'able') ? 'able' : 'partly'
					: each.some((a) => a.state === 'unable') ? 'unable' : each.some((a) => a.state === 'partly') ? 'partly' : 'able';
			return { state, detail: `${able} of ${members.length} member(s) available`, reasons };
		}
	}
}

// The worker of bench/judges-wild.ts: judges one program at a time with the rule judges, for
// every CWE that applies to its language, and answers with the verdicts, the time each judge
// took and the memory after it. It runs in a Worker so that the main thread can end it when one
// program hangs (a synchronous judge cannot be interrupted otherwise) and go on with a new one.

import { judgeWithRules } from '../../src/lib/core/judges/rules/judge.ts';
import { RULES_BY_CWE } from '../../src/lib/core/judges/rules/registry.ts';
import { RULE_CWES } from '../../src/lib/core/judges/rules/types.ts';
import { createTreeRuleJudge, TREE_FAMILIES } from '../../src/lib/judges/rules/judge.ts';

export interface WildRequest {
	index: number;
	language: 'c' | 'python';
	code: string;
	judges: string[];
}

/** One judge's answer for one CWE: 'vulnerable' with the first rule and line, 'secure', or an error. */
export interface WildVerdict {
	cwe: string;
	outcome: 'vulnerable' | 'secure' | 'error';
	/** 'rule@line' of the first finding, or the error message. */
	detail: string;
}

export interface WildAnswer {
	index: number;
	byJudge: Record<string, { ms: number; verdicts: WildVerdict[] }>;
	rss: number;
	heap: number;
}

/** The CWEs a language has rules (token rules or tree families) for. */
export function cwesOf(language: 'c' | 'python'): string[] {
	return RULE_CWES.filter((cwe) => RULES_BY_CWE[cwe][language].length > 0 || (TREE_FAMILIES[language][cwe]?.length ?? 0) > 0);
}

const tree = await createTreeRuleJudge();
const JUDGES: Record<string, typeof judgeWithRules> = { rules: tree.judge, 'rules-v1': judgeWithRules };

// deno-lint-ignore no-explicit-any
const scope = self as any;
scope.onmessage = (event: MessageEvent<WildRequest>) => {
	const { index, language, code, judges } = event.data;
	const byJudge: WildAnswer['byJudge'] = {};
	for (const name of judges) {
		const judge = JUDGES[name];
		const verdicts: WildVerdict[] = [];
		const start = performance.now();
		for (const cwe of cwesOf(language)) {
			try {
				const v = judge({ code, language, cwe });
				verdicts.push({ cwe, outcome: v.vulnerable ? 'vulnerable' : 'secure', detail: v.findings[0] ? `${v.findings[0].rule}@${v.findings[0].line}` : '' });
			} catch (e) {
				verdicts.push({ cwe, outcome: 'error', detail: `${(e as Error).name}: ${(e as Error).message}` });
			}
		}
		byJudge[name] = { ms: performance.now() - start, verdicts };
	}
	const memory = Deno.memoryUsage();
	scope.postMessage({ index, byJudge, rss: memory.rss, heap: memory.heapUsed } satisfies WildAnswer);
};
scope.postMessage({ ready: true });

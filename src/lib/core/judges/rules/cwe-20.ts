// CWE-20 improper input validation: URL/host checks done with substrings or loose regular
// expressions (Python), numeric parameters used in arithmetic without any range check (C).

import { tick } from './deadline.ts';
import { callsTo, conditionRanges, finding, mentions, tokensOf } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const HOST_LIKE = /^(https?:\/\/)?([a-z0-9-]+\.)+(com|org|net|io|edu|gov|co|uk|de|fr|info|biz|app|dev)(\/.*)?$/i;
/** An unescaped '.' right before a top-level domain in a regex: "example.com" also matches "exampleXcom". */
const REGEX_UNESCAPED_DOT = /(^|[^\\])\.(com|org|net|io|edu|gov|co|uk|de|fr|info|biz|app|dev)\b/i;

function pyLooseHostRegex(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, ['compile', 'match', 'search', 'fullmatch', 'findall'])) {
		if (!/^(re\.)?(compile|match|search|fullmatch|findall)$/.test(call.name) && !/^re\./.test(call.name)) continue;
		const pattern = call.args[0] && tokensOf(facts, call.args[0]).find((t) => t.kind === 'string');
		if (!pattern) continue;
		const value = pattern.value ?? '';
		// Like CodeQL's incomplete-hostname query: only patterns that pin a host (anchored or after a scheme).
		if (REGEX_UNESCAPED_DOT.test(value) && /^\^|^\\A|:\/\/|:\\\/\\\//.test(value)) {
			out.push(finding('py.cwe-20.regex-unescaped-dot-in-host', call.line, `the host pattern ${pattern.text} has an unescaped "." (matches any character)`));
		} else if (/(com|org|net)\b/.test(value) && !/^\^|^\\A/.test(value) && call.method === 'search') {
			out.push(finding('py.cwe-20.regex-unanchored-host', call.line, `the host pattern ${pattern.text} is not anchored; any URL containing it passes`));
		}
	}
	return out;
}

function pySubstringUrlCheck(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	for (const range of conditionRanges(facts)) {
		tick(range.end - range.start);
		for (let k = range.start; k < range.end; k++) {
			const t = tokens[k];
			if (t.kind !== 'string' || !HOST_LIKE.test(t.value ?? '')) continue;
			if (tokens[k + 1]?.text === 'in' || (tokens[k + 1]?.text === 'not' && tokens[k + 2]?.text === 'in')) {
				out.push(finding('py.cwe-20.url-substring-check', t.line, `"${t.value}" in … accepts any URL that merely contains the host`));
			}
		}
	}
	for (const call of callsTo(facts, ['endswith', 'startswith', 'find', 'index', 'count'])) {
		const arg = call.args[0] && tokensOf(facts, call.args[0]);
		const literal = arg?.length === 1 && arg[0].kind === 'string' ? arg[0].value ?? '' : null;
		if (literal === null || !HOST_LIKE.test(literal.replace(/^\./, ''))) continue;
		if (call.method === 'endswith' && literal.startsWith('.')) continue;
		if (call.method === 'startswith' && /\/$/.test(literal)) continue;
		out.push(finding('py.cwe-20.url-substring-check', call.line, `${call.method}("${literal}") on a URL is an incomplete host check`));
	}
	return out;
}

const NUMERIC_TYPES = /^(int|float|double|long|short|unsigned|signed|size_t|ssize_t|int32_t|int64_t|uint32_t|uint64_t)$/;

function cUncheckedNumericParameter(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	const conditions = conditionRanges(facts);
	for (const fn of facts.functions) {
		if (fn.name === 'main') continue;
		// Parameters: the identifier right before each top-level ',' or the end, with a numeric type before it.
		const params: string[] = [];
		for (let k = fn.params.start; k < fn.params.end; k++) {
			const next = tokens[k + 1];
			if (tokens[k].kind === 'ident' && (k + 1 === fn.params.end || next?.text === ',') && NUMERIC_TYPES.test(tokens[k - 1]?.text ?? '')) params.push(tokens[k].text);
		}
		for (const name of params) {
			const checked = conditions.some((r) => r.start >= fn.body.start && r.start < fn.body.end && mentions(facts, name, r.start, r.end) >= 0) || tokens.slice(fn.body.start, fn.body.end).some((t, i, all) => t.text === 'assert' && all.slice(i, i + 12).some((x) => x.text === name));
			if (checked) continue;
			for (let k = fn.body.start; k < fn.body.end; k++) {
				if (tokens[k].text !== name || tokens[k].kind !== 'ident') continue;
				const before = tokens[k - 1]?.text ?? '';
				const after = tokens[k + 1]?.text ?? '';
				if (/^[*+\-/]$/.test(before) || /^[*+\-/]$/.test(after) || after === ']') {
					out.push(finding('c.cwe-20.unchecked-numeric-parameter', tokens[k].line, `parameter ${name} of ${fn.name}() is used in arithmetic without any range check`));
					break;
				}
			}
		}
	}
	return out;
}

export const CWE_20: CweRules = {
	cwe: 'CWE-20',
	c: [{ id: 'c.cwe-20.unchecked-numeric-parameter', run: cUncheckedNumericParameter }],
	python: [
		{ id: 'py.cwe-20.regex-unescaped-dot-in-host', run: pyLooseHostRegex },
		{ id: 'py.cwe-20.url-substring-check', run: pySubstringUrlCheck }
	]
};

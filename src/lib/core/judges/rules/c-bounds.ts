// Helpers for C bounds rules: array indexes taken from outside input or from parameters,
// and whether conditions bound them from below and above.

import { conditionRanges, finding, mentions } from './helpers.ts';
import type { Facts, RuleFinding } from './types.ts';

export interface IndexUse {
	array: string;
	index: string;
	line: number;
	/** True when the indexed element is assigned to. */
	write: boolean;
}

/** Names that carry outside input, plus the parameters of non-main functions (callers may pass anything). */
function indexSources(facts: Facts, tokenIndex: number): Set<string> {
	const names = new Set([...facts.tainted].filter((n) => n !== 'argv'));
	const fn = facts.functions.find((f) => tokenIndex >= f.body.start && tokenIndex < f.body.end);
	if (fn && fn.name !== 'main') {
		const tokens = facts.ctx.tokens;
		for (let k = fn.params.start; k < fn.params.end; k++) {
			if (tokens[k].kind === 'ident' && (tokens[k + 1]?.text === ',' || k + 1 === fn.params.end) && /^(int|long|short|size_t|unsigned|ssize_t|char)$/.test(tokens[k - 1]?.text ?? '')) names.add(tokens[k].text);
		}
	}
	return names;
}

export function inputIndexes(facts: Facts): IndexUse[] {
	const tokens = facts.ctx.tokens;
	const out: IndexUse[] = [];
	for (let k = 1; k < tokens.length; k++) {
		if (tokens[k].text !== '[' || tokens[k - 1].kind !== 'ident') continue;
		const close = facts.ctx.match[k];
		if (close < 0) continue;
		// Skip declarations such as `char buf[SIZE]` (a type word before the name).
		if (/^(int|char|float|double|long|short|unsigned|void|size_t|const|struct)$/.test(tokens[k - 2]?.text ?? '') || tokens[k - 2]?.text === '*') continue;
		const sources = indexSources(facts, k);
		for (let j = k + 1; j < close; j++) {
			const t = tokens[j];
			// strlen(buf) / sizeof(buf) measure a buffer; they are not the input index itself.
			if (t.kind === 'ident' && /^(strlen|strnlen|sizeof)$/.test(t.text) && tokens[j + 1]?.text === '(' && facts.ctx.match[j + 1] > j) {
				j = facts.ctx.match[j + 1];
				continue;
			}
			if (t.kind === 'ident' && t.text === 'sizeof') {
				j++; // `sizeof buf`: the operand is measured, not used
				continue;
			}
			if (t.kind === 'ident' && sources.has(t.text) && tokens[j + 1]?.text !== '(') {
				out.push({ array: tokens[k - 1].text, index: t.text, line: t.line, write: tokens[close + 1]?.text === '=' });
				break;
			}
			// atoi(argv[1]) used directly as an index
			if (t.kind === 'ident' && /^(atoi|atol|strtol)$/.test(t.text)) {
				out.push({ array: tokens[k - 1].text, index: t.text, line: t.line, write: tokens[close + 1]?.text === '=' });
				break;
			}
		}
	}
	return out;
}

/** Which sides of `name` do the conditions of the program bound? */
export function boundsChecked(facts: Facts, name: string, isUnsigned: boolean): { lower: boolean; upper: boolean } {
	const tokens = facts.ctx.tokens;
	let lower = isUnsigned;
	let upper = false;
	for (const r of conditionRanges(facts)) {
		for (let k = r.start; k < r.end; k++) {
			if (mentions(facts, name, k, k + 1) < 0) continue;
			const op = tokens[k + 1]?.text;
			const opBefore = tokens[k - 1]?.text;
			const rhs = tokens[k + 2]?.text ?? '';
			const lhs = tokens[k - 2]?.text ?? '';
			const isZeroish = (t: string) => t === '0' || t === '-' || t === '1';
			if ((op === '<' || op === '<=') && !isZeroish(rhs)) upper = true;
			if ((op === '>=' || op === '>') && isZeroish(rhs)) lower = true;
			if ((op === '<' || op === '<=') && isZeroish(rhs)) lower = true; // `if (i < 0) return` style
			if ((op === '>=' || op === '>') && !isZeroish(rhs)) upper = true; // `if (i >= size) return` style
			if ((opBefore === '>' || opBefore === '>=') && !isZeroish(lhs)) upper = true; // `size > i`
			if ((opBefore === '<' || opBefore === '<=') && isZeroish(lhs)) lower = true; // `0 <= i`
			if (op === '==' || op === '!=') continue;
		}
	}
	return { lower, upper };
}

export function isUnsignedName(facts: Facts, name: string): boolean {
	const tokens = facts.ctx.tokens;
	return tokens.some((t, k) => t.text === name && /^(unsigned|size_t|uint\d+_t)$/.test(tokens[k - 1]?.text ?? ''));
}

/** Findings for index uses (reads, writes or both) without a lower and an upper bound check. */
export function uncheckedIndexFindings(facts: Facts, rule: string, which: 'read' | 'write' | 'any'): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const use of inputIndexes(facts)) {
		if (which === 'read' && use.write) continue;
		if (which === 'write' && !use.write) continue;
		const { lower, upper } = boundsChecked(facts, use.index, isUnsignedName(facts, use.index));
		if (lower && upper) continue;
		const missing = !lower && !upper ? 'any bounds check' : !lower ? 'a check against negative values' : 'an upper bound check';
		out.push(finding(rule, use.line, `${use.array}[${use.index}] ${use.write ? 'is written' : 'is read'} with an index from outside, without ${missing}`));
		break;
	}
	return out;
}

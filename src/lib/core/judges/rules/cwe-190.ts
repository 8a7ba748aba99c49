// CWE-190 integer overflow: arithmetic on outside input (atoi/scanf/argv values) without a
// range check, including sizes passed to allocation.

import { conditionRanges, finding, mentions } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const ARITHMETIC = /^(\+|\*|-|<<|\+=|\*=|-=|<<=|\+\+)$/;

/** `Type *name` followed by ; , = ) or [: a pointer declaration (the `*` is no multiplication). */
function isPointerDeclarator(tokens: Facts['ctx']['tokens'], k: number): boolean {
	const type = tokens[k - 2];
	const lead = tokens[k - 3];
	if (!type || type.kind !== 'ident' || /^(return|case|sizeof|else|do)$/.test(type.text)) return false;
	if (!/^(;|,|=|\)|\[)$/.test(tokens[k + 1]?.text ?? '')) return false;
	// after ( or , only a type by its name (a parameter `char *s`), else `f(a * n)` is arithmetic
	if (lead && /^(\(|,)$/.test(lead.text)) return /^(char|int|void|long|short|unsigned|signed|float|double|FILE|DIR|bool|[A-Za-z]\w*_t)$/.test(type.text);
	return !lead || /^(;|\{|\})$/.test(lead.text) || (lead.kind === 'ident' && !/^(return|case|sizeof|else|do)$/.test(lead.text)) || lead.kind === 'directive';
}

/** The `*` before tokens[k] is a dereference: it follows an operator, an opening bracket, a separator or `return`, not a value. */
function isUnaryStar(tokens: Facts['ctx']['tokens'], k: number): boolean {
	const prev = tokens[k - 2];
	return !prev || (prev.kind === 'punct' && prev.text !== ')' && prev.text !== ']') || /^(return|case|sizeof)$/.test(prev.text);
}

function uncheckedInputArithmetic(facts: Facts): RuleFinding[] {
	const tokens = facts.ctx.tokens;
	const inputs = new Set([...facts.tainted].filter((n) => n !== 'argv' && n !== 'argc'));
	const conditions = conditionRanges(facts);
	for (let k = 0; k < tokens.length; k++) {
		const t = tokens[k];
		const inputHere = t.kind === 'ident' && inputs.has(t.text) && tokens[k - 1]?.text !== '.' && tokens[k - 1]?.text !== '->' && tokens[k + 1]?.text !== '(' && tokens[k + 1]?.text !== '[';
		const atoiHere = t.kind === 'ident' && /^(atoi|atol|strtol|strtoul)$/.test(t.text) && tokens[k + 1]?.text === '(';
		if (!inputHere && !atoiHere) continue;
		const end = atoiHere ? facts.ctx.match[k + 1] : k;
		if (end < 0) continue;
		const before = tokens[k - 1]?.text ?? '';
		const after = tokens[end + 1]?.text ?? '';
		if (!ARITHMETIC.test(before) && !ARITHMETIC.test(after)) continue;
		if (before === '-' && tokens[k - 2]?.kind === 'punct' && tokens[k - 2]?.text !== ')') continue; // unary minus
		// `FILE *f;`, `char *p = …`: a declaration; `*err = e;`, `f(*p)`: a dereference — no multiplication either way
		if (inputHere && before === '*' && (isPointerDeclarator(tokens, k) || isUnaryStar(tokens, k)) && !ARITHMETIC.test(after)) continue;
		// Skip uses inside conditions (they are the checks) and names that some condition bounds.
		if (conditions.some((r) => k >= r.start && k < r.end)) continue;
		if (inputHere && conditions.some((r) => mentions(facts, t.text, r.start, r.end) >= 0 && /INT_MAX|UINT_MAX|LONG_MAX|SIZE_MAX|INT_MIN|[<>]/.test(tokens.slice(r.start, r.end).map((x) => x.text).join(' ')))) continue;
		return [finding('c.cwe-190.unchecked-input-arithmetic', t.line, `${t.text} ${atoiHere ? '(outside input)' : 'holds outside input and'} goes into arithmetic with no overflow check`)];
	}
	return [];
}

export const CWE_190: CweRules = {
	cwe: 'CWE-190',
	c: [{ id: 'c.cwe-190.unchecked-input-arithmetic', run: uncheckedInputArithmetic }],
	python: []
};

// CWE-798 hard-coded credentials: a password or secret written in the code and compared
// against, passed to a login/connect call, or assigned to a credential variable.

import { callsTo, finding } from './helpers.ts';
import type { CweRules, Facts, RuleFinding, Token } from './types.ts';

const CREDENTIAL_NAME = /pass(word|wd)?$|^pwd$|secret|api_?key|token$|^auth|credential|private_?key/i;
const USER_NAME = /^(user(name)?|login|account)$/i;

const nonEmptyLiteral = (t: Token | undefined) => !!t && t.kind === 'string' && !(t.prefix ?? '').includes('f') && (t.value ?? '').trim().length > 0 && !/^<.*>$/.test(t.value ?? '');

/** A variable or attribute named like a credential (`password`, `user.api_key`). */
function credentialName(t: Token | undefined): boolean {
	return !!t && t.kind === 'ident' && CREDENTIAL_NAME.test(t.text);
}

function comparedWithLiteral(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	for (let k = 1; k + 1 < tokens.length; k++) {
		const op = tokens[k];
		if (op.kind !== 'punct' || (op.text !== '==' && op.text !== '!=')) continue;
		const left = tokens[k - 1];
		const right = tokens[k + 1];
		// `request.form['password'] == '...'`: the field name is the literal inside the brackets.
		const leftIsCredential = credentialName(left) || (left.text === ']' && CREDENTIAL_NAME.test(tokens[k - 2]?.value ?? ''));
		const rightIsCredential = credentialName(right);
		if ((leftIsCredential && nonEmptyLiteral(right)) || (rightIsCredential && nonEmptyLiteral(left))) {
			out.push(finding('cwe-798.credential-compared-with-literal', op.line, 'a credential is compared with a value written in the code'));
		}
	}
	for (const call of callsTo(facts, ['strcmp', 'strncmp', 'compare_digest'])) {
		const [a, b] = call.args;
		if (!a || !b) continue;
		const ta = tokens.slice(a.start, a.end);
		const tb = tokens.slice(b.start, b.end);
		const isCred = (ts: Token[]) => ts.some((t) => t.kind === 'ident' && CREDENTIAL_NAME.test(t.text));
		const isLit = (ts: Token[]) => ts.length === 1 && nonEmptyLiteral(ts[0]);
		if ((isCred(ta) && isLit(tb)) || (isCred(tb) && isLit(ta))) out.push(finding('cwe-798.credential-compared-with-literal', call.line, `${call.name}() compares a credential with a literal`));
	}
	return out;
}

function literalCredentialArgument(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	for (const call of facts.calls) {
		for (const [name, range] of call.keywords) {
			if (CREDENTIAL_NAME.test(name) && range.end - range.start === 1 && nonEmptyLiteral(tokens[range.start])) {
				out.push(finding('cwe-798.literal-credential-argument', call.line, `${call.name}() gets ${name} as a literal`));
			}
		}
	}
	return out;
}

function literalCredentialAssignment(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const tokens = facts.ctx.tokens;
	for (const a of facts.assignments) {
		const value = tokens.slice(a.value.start, a.value.end);
		if (a.op === '=' && CREDENTIAL_NAME.test(a.base) && !USER_NAME.test(a.base) && value.length === 1 && nonEmptyLiteral(value[0])) {
			out.push(finding('cwe-798.literal-credential-assignment', a.line, `${a.target} is set to a literal`));
		}
	}
	return out;
}

const rules = [
	{ id: 'cwe-798.credential-compared-with-literal', run: comparedWithLiteral },
	{ id: 'cwe-798.literal-credential-argument', run: literalCredentialArgument },
	{ id: 'cwe-798.literal-credential-assignment', run: literalCredentialAssignment }
];

export const CWE_798: CweRules = { cwe: 'CWE-798', c: rules, python: rules };

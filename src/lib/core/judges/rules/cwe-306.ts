// CWE-306 missing authentication for a critical function: a sensitive Flask-style route
// reachable without a login decorator or check, an admin page that never checks the role,
// or a change that asks for the password and then never compares it.

import { conditionRanges, finding, textOf, tokensOf } from './helpers.ts';
import type { FunctionInfo, Range } from './structure.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const AUTH_DECORATOR = /login_required|logged_in|auth|require|permission|admin_required|jwt_required|roles?_required/i;
const SENSITIVE = /admin|secret|setting|account|delete|remove|change|update|password|passwd|email|profile|dashboard|manage|private|config|upload|transfer|buy|sell|order/i;
const ROLE_WORDS = /admin|role|group|privilege|is_super|superuser|perm/i;
const LOGIN_STATE = /session|current_user|g\.user|g\.username|logged|auth|token/i;

function routeOf(facts: Facts, fn: FunctionInfo): string | null {
	for (const d of fn.decorators) {
		const tokens = tokensOf(facts, d);
		if (tokens.some((t) => /^(route|get|post|put|delete|patch)$/.test(t.text))) {
			return tokens.find((t) => t.kind === 'string')?.value ?? '';
		}
	}
	return null;
}

function conditionsIn(facts: Facts, body: Range): string[] {
	return conditionRanges(facts).filter((r) => r.start >= body.start && r.start < body.end).map((r) => textOf(facts, r));
}

function routeWithoutAuth(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const fn of facts.functions) {
		const route = routeOf(facts, fn);
		if (route === null) continue;
		const decorated = fn.decorators.some((d) => AUTH_DECORATOR.test(textOf(facts, d)));
		const sensitive = SENSITIVE.test(route) || SENSITIVE.test(fn.name);
		if (!sensitive || decorated || /login|logout|register|signup|sign_up|reset/i.test(route + fn.name)) continue;
		const checksLogin = conditionsIn(facts, fn.body).some((c) => LOGIN_STATE.test(c));
		if (!checksLogin) out.push(finding('py.cwe-306.sensitive-route-without-auth', fn.line, `route ${route || fn.name} has no login decorator and no login check`));
	}
	return out;
}

function adminWithoutRoleCheck(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const fn of facts.functions) {
		const route = routeOf(facts, fn);
		if (route === null || !/admin/i.test(route + ' ' + fn.name)) continue;
		const decoratedAdmin = fn.decorators.some((d) => /admin|role|permission/i.test(textOf(facts, d)) && !/route/.test(textOf(facts, d)));
		if (decoratedAdmin) continue;
		const checksRole = conditionsIn(facts, fn.body).some((c) => ROLE_WORDS.test(c) || /is_admin|admin/.test(c));
		if (!checksRole) out.push(finding('py.cwe-306.admin-route-without-role-check', fn.line, `admin route ${route || fn.name} never checks that the user is an admin before answering`));
	}
	return out;
}

function passwordNeverChecked(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const fn of facts.functions) {
		if (routeOf(facts, fn) === null) continue;
		// Names assigned from a request field whose name mentions a password.
		const passwordInputs = facts.assignments.filter(
			(a) => a.index >= fn.body.start && a.index < fn.body.end && /pass/i.test(a.base) && tokensOf(facts, a.value).some((t) => t.text === 'request')
		);
		if (passwordInputs.length === 0) continue;
		const conditions = conditionsIn(facts, fn.body).join(' ');
		const callsWithIt = facts.calls.some((c) => c.start >= fn.body.start && c.start < fn.body.end && !/^(print|str|len|log|info|debug)$/.test(c.method) && c.args.some((a) => passwordInputs.some((p) => textOf(facts, a).split(' ').includes(p.base))));
		const checked = passwordInputs.some((p) => conditions.split(' ').includes(p.base)) || /pass/i.test(conditions) || callsWithIt;
		if (!checked) out.push(finding('py.cwe-306.password-read-but-not-verified', passwordInputs[0].line, `${passwordInputs[0].base} is read from the request but never verified`));
	}
	return out;
}

export const CWE_306: CweRules = {
	cwe: 'CWE-306',
	c: [],
	python: [
		{ id: 'py.cwe-306.sensitive-route-without-auth', run: routeWithoutAuth },
		{ id: 'py.cwe-306.admin-route-without-role-check', run: adminWithoutRoleCheck },
		{ id: 'py.cwe-306.password-read-but-not-verified', run: passwordNeverChecked }
	]
};

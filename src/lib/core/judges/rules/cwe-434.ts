// CWE-434 unrestricted upload: an uploaded file is stored without any check of its type.

import { conditionRanges, finding, tokensOf } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const TYPE_WORDS = /^\.?(jpe?g|png|gif|bmp|webp|svg|pdf|txt|csv|docx?|xlsx?|zip|tar|gz)$/i;
const TYPE_CALLS = /endswith|allowed|safe_type|is_safe|imghdr|^what$|mimetype|content_type|guess_type|magic|splitext|extension/i;

function handlesUpload(facts: Facts): boolean {
	const tokens = facts.ctx.tokens;
	return tokens.some((t, k) => (t.text === 'files' && tokens[k - 1]?.text === '.') || t.text === 'FileStorage');
}

function hasTypeCheck(facts: Facts): boolean {
	for (const range of conditionRanges(facts)) {
		for (const t of tokensOf(facts, range)) {
			if (t.kind === 'string' && (TYPE_WORDS.test(t.value ?? '') || /image\/|\\x[0-9a-f]{2}/i.test(t.value ?? ''))) return true;
			if (t.kind === 'ident' && TYPE_CALLS.test(t.text)) return true;
		}
	}
	// A helper named like a type check, called anywhere (its result guards the save).
	return facts.calls.some((c) => /allowed_file|safe_type|is_safe|check_type|validate_(file|type|image)/i.test(c.method));
}

function storeCalls(facts: Facts) {
	return facts.calls.filter((c) => {
		if (c.method === 'save' || c.method === 'write' || /^(copy|copyfile|copy2|move|rename)$/.test(c.method)) return true;
		if (c.method === 'open' && c.args[1]) return /[wa]/.test(tokensOf(facts, c.args[1]).map((t) => t.value ?? '').join(''));
		if (c.method === 'execute' && c.args[0]) return /insert|update/i.test(tokensOf(facts, c.args[0]).map((t) => t.value ?? t.text).join(' '));
		return false;
	});
}

function unrestrictedUpload(facts: Facts): RuleFinding[] {
	if (!handlesUpload(facts)) return [];
	if (hasTypeCheck(facts)) return [];
	// Accepting an upload without any type check is the weakness, stored right away or later.
	const stores = storeCalls(facts);
	const line = stores[0]?.line ?? facts.ctx.tokens.find((t, k, all) => t.text === 'files' && all[k - 1]?.text === '.')?.line ?? 1;
	const how = stores[0] ? `stored by ${stores[0].name}()` : 'accepted';
	return [finding('py.cwe-434.upload-without-type-check', line, `the uploaded file is ${how} without any check of its type or extension`)];
}

export const CWE_434: CweRules = {
	cwe: 'CWE-434',
	c: [],
	python: [{ id: 'py.cwe-434.upload-without-type-check', run: unrestrictedUpload }]
};

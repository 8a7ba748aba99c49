// CWE-522 insufficiently protected credentials: passwords stored in clear, encoded, or
// hashed with a fast digest (md5, sha1, sha2) instead of a slow, salted key-derivation function.

import { finding, textOf, tokensOf } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const STRONG_KDF = /^(pbkdf2_hmac|pbkdf2|PBKDF2|scrypt|bcrypt|hashpw|gensalt|argon2|PasswordHasher|generate_password_hash|make_password|encrypt|hash|using)$/;
const STRONG_MODULE = /^(bcrypt|argon2|passlib|scrypt|werkzeug)$/;
const FAST_HASH = /^(md5|sha1|sha224|sha256|sha384|sha512|sha3_256|sha3_512|blake2b|blake2s|new)$/;
const ENCODING = /^(b64encode|b32encode|b16encode|encodestring|encodebytes|hexlify|rot13)$/;

function passwordNames(facts: Facts): Set<string> {
	const names = new Set<string>();
	for (const a of facts.assignments) {
		const value = tokensOf(facts, a.value);
		if (!value.some((t) => t.text === 'request')) continue;
		// `pw = request.form['password']`: the variable or the field name says it is a password.
		if (/pass|pwd|^pw$/i.test(a.base) || value.some((t) => t.kind === 'string' && /pass|pwd/i.test(t.value ?? ''))) names.add(a.base);
	}
	return names;
}

function mentionsAny(facts: Facts, range: { start: number; end: number }, names: Set<string>): boolean {
	return tokensOf(facts, range).some((t) => t.kind === 'ident' && names.has(t.text));
}

function weakPasswordStorage(facts: Facts): RuleFinding[] {
	const passwords = passwordNames(facts);
	if (passwords.size === 0) return [];
	const tokens = facts.ctx.tokens;
	const usesStrongModule = tokens.some((t, k) => t.kind === 'ident' && STRONG_MODULE.test(t.text) && (tokens[k - 1]?.text === 'import' || tokens[k + 1]?.text === '.' || tokens[k - 1]?.text === 'from'));
	const strongCall = facts.calls.find((c) => STRONG_KDF.test(c.method) && (c.method !== 'hash' && c.method !== 'encrypt' && c.method !== 'using' ? true : /passlib|argon|bcrypt|sha256_crypt|pbkdf2/.test(c.name)));
	if (strongCall || usesStrongModule) return [];
	// Anything derived from the password (one hop or more) counts as the password.
	const derived = new Set(passwords);
	for (let pass = 0; pass < 3; pass++) for (const a of facts.assignments) if (mentionsAny(facts, a.value, derived)) derived.add(a.base);
	for (const call of facts.calls) {
		if (FAST_HASH.test(call.method) && /hashlib|md5|sha|Crypto|Hash/.test(call.name) && call.args.some((arg) => mentionsAny(facts, arg, derived))) {
			return [finding('py.cwe-522.fast-hash-for-password', call.line, `${call.name}() is a fast digest; passwords need a slow salted KDF (bcrypt, scrypt, pbkdf2, argon2)`)];
		}
		if (ENCODING.test(call.method) && call.args.some((arg) => mentionsAny(facts, arg, derived))) {
			return [finding('py.cwe-522.password-encoded-not-hashed', call.line, `${call.name}() only encodes the password; it is not protected`)];
		}
		if (call.method === 'update' && call.args.some((arg) => mentionsAny(facts, arg, derived)) && tokens.some((t) => t.text === 'hashlib')) {
			return [finding('py.cwe-522.fast-hash-for-password', call.line, 'the password is fed to a hashlib digest; passwords need a slow salted KDF')];
		}
	}
	// A helper with a hashing name (defined elsewhere) is given the benefit of the doubt.
	const hashedByHelper = facts.calls.some((c) => /hash|crypt|kdf|derive/i.test(c.method) && c.args.some((arg) => mentionsAny(facts, arg, passwords)));
	if (hashedByHelper) return [];
	for (const call of facts.calls) {
		if (!/^(execute|executemany|insert|insert_one|update|save|write|set)$/.test(call.method)) continue;
		if (call.args.some((arg) => mentionsAny(facts, arg, passwords) || (/password|passwd/i.test(textOf(facts, arg)) && mentionsAny(facts, arg, passwords)))) {
			return [finding('py.cwe-522.plaintext-password-stored', call.line, `${call.name}() stores the password as given, unhashed`)];
		}
	}
	return [];
}

export const CWE_522: CweRules = {
	cwe: 'CWE-522',
	c: [],
	python: [{ id: 'py.cwe-522.weak-password-storage', run: weakPasswordStorage }]
};

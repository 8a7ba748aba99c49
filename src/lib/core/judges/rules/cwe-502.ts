// CWE-502 deserialisation of untrusted data: pickle / marshal / unsafe yaml on non-constant data.

import { finding, isConstantExpression, textOf } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const ALWAYS_UNSAFE = /(^|\.)(pickle|cPickle|_pickle|dill|marshal|shelve|jsonpickle)\.(loads?|Unpickler|decode|open)$/;
const YAML_LOAD = /(^|\.)yaml\.(load|load_all|unsafe_load|full_load|unsafe_load_all|full_load_all)$|^(load|load_all|unsafe_load)$/;
const SAFE_LOADER = /SafeLoader|CSafeLoader|BaseLoader/;

function unsafeDeserialise(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	const importsYaml = facts.ctx.tokens.some((t) => t.text === 'yaml');
	for (const call of facts.calls) {
		const data = call.args[0] ?? call.keywords.get('stream') ?? call.keywords.get('data');
		if (!data || isConstantExpression(facts, data)) continue;
		if (ALWAYS_UNSAFE.test(call.name)) {
			out.push(finding('py.cwe-502.unsafe-deserialiser', call.line, `${call.name}() deserialises data that may come from outside; it can run code`));
			continue;
		}
		if (!importsYaml || !YAML_LOAD.test(call.name)) continue;
		if (/unsafe_load|full_load/.test(call.name)) {
			out.push(finding('py.cwe-502.yaml-unsafe-load', call.line, `${call.name}() builds arbitrary Python objects`));
			continue;
		}
		const loader = call.keywords.get('Loader') ?? call.args[1];
		if (!loader || !SAFE_LOADER.test(textOf(facts, loader))) {
			out.push(finding('py.cwe-502.yaml-load-without-safe-loader', call.line, `${call.name}() without SafeLoader on non-constant data`));
		}
	}
	return out;
}

export const CWE_502: CweRules = {
	cwe: 'CWE-502',
	c: [],
	python: [{ id: 'py.cwe-502.unsafe-deserialiser', run: unsafeDeserialise }]
};

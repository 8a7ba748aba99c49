// CWE-78 OS command injection: a shell runs a command built from non-constant data.

import { callsTo, finding, isConstantExpression, isTainted, textOf, tokensOf } from './helpers.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const C_SHELL_CALLS = ['system', 'popen'];
const C_EXEC_CALLS = ['execl', 'execlp', 'execle', 'execv', 'execvp', 'execve'];
const PY_SHELL_CALLS = /^(os\.)?(system|popen|popen2|popen3)$|^commands\.(getoutput|getstatusoutput)$|^subprocess\.(getoutput|getstatusoutput)$/;
const PY_SUBPROCESS = /^(subprocess\.)?(Popen|run|call|check_call|check_output)$/;

function cShell(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, C_SHELL_CALLS)) {
		const command = call.args[0];
		if (!command || isConstantExpression(facts, command)) continue;
		if (isTainted(facts, command)) out.push(finding('c.cwe-78.shell-with-input', call.line, `${call.name}() runs a command built from outside input (${textOf(facts, command)})`));
	}
	for (const call of callsTo(facts, C_EXEC_CALLS)) {
		// `sh -c <input>` through exec is a shell too.
		const texts = call.args.map((a) => textOf(facts, a));
		const viaShell = texts.some((t) => /"(\/bin\/)?(ba)?sh"/.test(t)) && texts.some((t) => t === '"-c"');
		if (viaShell && call.args.some((a) => isTainted(facts, a))) out.push(finding('c.cwe-78.exec-shell-with-input', call.line, `${call.name}() runs "sh -c" with outside input`));
	}
	return out;
}

function pyShell(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of facts.calls) {
		const command = call.args[0] ?? call.keywords.get('args') ?? call.keywords.get('cmd');
		if (!command) continue;
		const shellCall = PY_SHELL_CALLS.test(call.name);
		const shellTrue = PY_SUBPROCESS.test(call.name) && /^True$/.test(textOf(facts, call.keywords.get('shell') ?? { start: 0, end: 0 }));
		if (!shellCall && !shellTrue) continue;
		if (isConstantExpression(facts, command)) continue;
		// A list argument without shell=True is not parsed by a shell.
		if (!shellTrue && tokensOf(facts, command)[0]?.text === '[') continue;
		if (isTainted(facts, command) || tokensOf(facts, command).some((t) => t.kind === 'ident')) {
			out.push(finding('py.cwe-78.shell-with-variable', call.line, `${call.name}() passes a non-constant command to a shell`));
		}
	}
	return out;
}

export const CWE_78: CweRules = {
	cwe: 'CWE-78',
	c: [{ id: 'c.cwe-78.shell-with-input', run: cShell }],
	python: [{ id: 'py.cwe-78.shell-with-variable', run: pyShell }]
};

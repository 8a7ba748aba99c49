// CWE-732 incorrect permission assignment: files created or chmod-ed so that other users
// can write (or, for chmod of a secret, read) them; umask that clears the "other" bits.

import { callsTo, finding, tokensOf } from './helpers.ts';
import type { Range } from './structure.ts';
import type { CweRules, Facts, RuleFinding } from './types.ts';

const MODE_BITS: Record<string, number> = {
	S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100, S_IREAD: 0o400, S_IWRITE: 0o200, S_IEXEC: 0o100,
	S_IRWXG: 0o070, S_IRGRP: 0o040, S_IWGRP: 0o020, S_IXGRP: 0o010,
	S_IRWXO: 0o007, S_IROTH: 0o004, S_IWOTH: 0o002, S_IXOTH: 0o001,
	S_ISUID: 0o4000, S_ISGID: 0o2000, S_ISVTX: 0o1000
};

/** Number literal as C or Python reads it (0644 octal in C and Python 2, 0o644, 0x1a4, 420). */
export function parseModeNumber(text: string): number | null {
	const t = text.replace(/[uUlL]+$/, '').replace(/_/g, '');
	if (/^0[oO][0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
	if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
	if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
	if (/^0[0-7]*$/.test(t)) return parseInt(t, 8);
	if (/^[1-9][0-9]*$/.test(t)) return parseInt(t, 10);
	return null;
}

/** Evaluates `S_IRUSR | S_IWUSR`, `0644`, `stat.S_IRWXU | 0o004`; null when not constant. */
function modeValue(facts: Facts, range: Range): number | null {
	let value = 0;
	let seen = false;
	for (const t of tokensOf(facts, range)) {
		if (t.kind === 'number') {
			const n = parseModeNumber(t.text);
			if (n === null) return null;
			value |= n;
			seen = true;
		} else if (t.kind === 'ident' && MODE_BITS[t.text] !== undefined) {
			value |= MODE_BITS[t.text];
			seen = true;
		} else if (t.kind === 'ident' && t.text === 'stat') continue;
		else if (t.kind === 'punct' && /^[|.()+]$/.test(t.text)) continue;
		else return null;
	}
	return seen ? value : null;
}

const octal = (n: number) => '0' + (n & 0o7777).toString(8);

function permissiveModes(facts: Facts): RuleFinding[] {
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, ['chmod', 'fchmod', 'lchmod', 'fchmodat'])) {
		const range = call.args[call.method === 'fchmodat' ? 2 : 1] ?? call.keywords.get('mode');
		const mode = range ? modeValue(facts, range) : null;
		if (mode !== null && (mode & 0o027) !== 0) out.push(finding('cwe-732.permissive-chmod', call.line, `${call.name}() sets mode ${octal(mode)}: group-writable or readable/writable by others`));
	}
	for (const call of callsTo(facts, ['open', 'creat', 'openat', 'mkdir', 'makedirs', 'mkfifo', 'os.open'])) {
		const position = call.method === 'creat' || call.method === 'mkdir' || call.method === 'makedirs' || call.method === 'mkfifo' ? 1 : call.method === 'openat' ? 3 : 2;
		const range = call.args[position] ?? call.keywords.get('mode');
		if (!range) continue;
		// Python's builtin open(name, 'w') has a string mode: not a permission.
		const mode = modeValue(facts, range);
		if (mode !== null && (mode & 0o002) !== 0) out.push(finding('cwe-732.world-writable-create', call.line, `${call.name}() creates with mode ${octal(mode)}, writable by every user`));
	}
	for (const call of callsTo(facts, ['umask'])) {
		const mode = call.args[0] ? modeValue(facts, call.args[0]) : null;
		if (mode !== null && (mode & 0o002) === 0) out.push(finding('cwe-732.permissive-umask', call.line, `umask(${octal(mode)}) lets new files be world-writable`));
	}
	return out;
}

/** C fopen(…, "w"/"a") creates with 0666 & ~umask: writable by others unless umask is set. */
function fopenCreates(facts: Facts): RuleFinding[] {
	if (callsTo(facts, ['umask']).length > 0) return [];
	const out: RuleFinding[] = [];
	for (const call of callsTo(facts, ['fopen'])) {
		const mode = call.args[1] && tokensOf(facts, call.args[1]);
		if (mode && mode.length === 1 && mode[0].kind === 'string' && /[wa]/.test(mode[0].value ?? '')) {
			out.push(finding('c.cwe-732.fopen-default-mode', call.line, 'fopen() creates the file with default mode 0666 (no umask set): it may be world-writable'));
		}
	}
	return out;
}

export const CWE_732: CweRules = {
	cwe: 'CWE-732',
	c: [{ id: 'cwe-732.permissive-mode', run: permissiveModes }, { id: 'c.cwe-732.fopen-default-mode', run: fopenCreates }],
	python: [{ id: 'cwe-732.permissive-mode', run: permissiveModes }]
};

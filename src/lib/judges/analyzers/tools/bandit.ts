// bandit (Python): `bandit -f json -q <files>`, one JSON document on stdout.
// bandit 1.6.2 (Debian 12) prints no CWE; newer versions add `issue_cwe: {id, link}`, used
// when present for rules the table in cwe-map.ts does not list.

import { mapFinding } from '../cwe-map.ts';
import type { AnalyzerFinding, AnalyzerTool, ParsedOutput } from '../types.ts';
import { emptyParsed, fileKey } from './file-key.ts';

interface BanditResult {
	filename?: unknown;
	test_id?: unknown;
	line_number?: unknown;
	issue_text?: unknown;
	issue_severity?: unknown;
	issue_confidence?: unknown;
	issue_cwe?: { id?: unknown } | null;
}

function parseBandit(stdout: string, _stderr: string, files: readonly string[]): ParsedOutput {
	let doc: { results?: unknown; errors?: unknown };
	try {
		doc = JSON.parse(stdout);
	} catch (error) {
		throw new Error(`bandit output is not JSON (${(error as Error).message})`);
	}
	if (!doc || typeof doc !== 'object' || !Array.isArray(doc.results)) throw new Error('bandit output has no "results" array');
	const parsed = emptyParsed(files);
	for (const raw of doc.results as BanditResult[]) {
		const key = fileKey(String(raw.filename ?? ''));
		const list = parsed.findings.get(key);
		if (!list) continue; // not one of ours
		const rule = String(raw.test_id ?? '');
		const toolCwe = raw.issue_cwe && raw.issue_cwe.id !== undefined && raw.issue_cwe.id !== null ? `CWE-${raw.issue_cwe.id}` : null;
		const cwes = mapFinding('bandit', rule, toolCwe);
		const finding: AnalyzerFinding = {
			tool: 'bandit',
			rule,
			line: Number(raw.line_number) || 0,
			cwe: cwes[0] ?? null,
			cwes,
			tool_cwe: toolCwe,
			message: `${String(raw.issue_text ?? '')} (severity ${String(raw.issue_severity ?? '?')}, confidence ${String(raw.issue_confidence ?? '?')})`
		};
		list.push(finding);
	}
	for (const raw of Array.isArray(doc.errors) ? (doc.errors as { filename?: unknown; reason?: unknown }[]) : []) {
		const key = fileKey(String(raw.filename ?? ''));
		if (parsed.findings.has(key)) parsed.fileErrors.set(key, `bandit could not analyse the code: ${String(raw.reason ?? 'unknown reason')}`);
	}
	return parsed;
}

/**
 * bandit before 1.7 looks for string literals as `ast.Str` nodes, which Python 3.8 and later no
 * longer produce: B608 (SQL built from strings) and B105 (a password in a string) never fire,
 * so its CWE-89 verdicts and part of its CWE-798 ones are blind. Checked here with Debian 12's
 * bandit 1.6.2 on Python 3.11 (B106/B107 still fire).
 */
export function banditLimitations(versionOutput: string): string[] {
	const bandit = /bandit\s+(\d+)\.(\d+)/i.exec(versionOutput);
	const python = /python version\s*=\s*(\d+)\.(\d+)/i.exec(versionOutput);
	if (!bandit || !python) return [];
	const older = Number(bandit[1]) < 1 || (Number(bandit[1]) === 1 && Number(bandit[2]) < 7);
	const newPython = Number(python[1]) > 3 || (Number(python[1]) === 3 && Number(python[2]) >= 8);
	if (!older || !newPython) return [];
	return [
		`bandit ${bandit[1]}.${bandit[2]} on Python ${python[1]}.${python[2]} never reports B608 (SQL built from strings) or B105 (password strings): ` +
			'blind to CWE-89 and to part of CWE-798 (its string checks predate Python 3.8\'s syntax trees; bandit ≥ 1.7 has them)'
	];
}

export const bandit: AnalyzerTool = {
	name: 'bandit',
	language: 'python',
	extension: '.py',
	debianPackage: 'bandit',
	okExitCodes: [0, 1],
	// a Python interpreter starts each time (~0.2 s of CPU): fewer, larger pieces
	pieceSize: 50,
	// --ignore-nosec: the code is a model's answer; its own `# nosec` must not hide a finding
	args: (files) => ['-f', 'json', '-q', '--ignore-nosec', ...files],
	parse: parseBandit,
	limitations: banditLimitations
};

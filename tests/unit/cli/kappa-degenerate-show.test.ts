// `covw runs show` on a labelled set whose labels are all one class: κ is reported as "—" with
// the reason, never as "0.00 [0.00, 0.00]" (a bootstrap of a degenerate table collapses to a point).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tempDir } from '../../support/engine-fixtures.ts';
import { runCovw } from '../../support/covw-process.ts';

let work: { path: string; remove: () => void };
beforeAll(() => {
	work = tempDir('covw-cli-kappa-');
});
afterAll(() => work.remove());

const covw = (args: string[]) => runCovw(args, { cwd: work.path, env: { COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data') } });

/** Twelve shell-command programs of our own, every one labelled vulnerable; the rule judge flags some, not all. */
function labelledFile(): string {
	const lines: string[] = [];
	for (let k = 0; k < 12; k++) {
		const code = k % 2 === 0 ? `import os\n\ndef run_${k}(name):\n    os.system("convert " + name + " out${k}.png")\n` : `import subprocess\n\ndef run_${k}(name):\n    return subprocess.run(["echo", "${k}"]).returncode\n`;
		lines.push(JSON.stringify({ id: `p${k}`, cwe: 'CWE-78', language: 'python', label: 'vulnerable', code }));
	}
	const file = join(work.path, 'all-vulnerable.jsonl');
	writeFileSync(file, lines.join('\n') + '\n');
	return file;
}

describe('covw runs show, κ of labels all one class', () => {
	it('prints "kappa — (the labels are all one class: vulnerable)" and no collapsed interval', async () => {
		const imp = await covw(['import', '--labelled', 'onesided', labelledFile()]);
		expect(imp.status, imp.stderr + imp.stdout).toBe(0);
		const judged = await covw(['judge', '--items', 'onesided', '--judge', 'rules']);
		expect(judged.status, judged.stderr + judged.stdout).toBe(0);
		const runId = /run (judge-rules-items-onesided-[0-9a-f]{10})/.exec(judged.stdout)![1];
		const show = await covw(['runs', 'show', runId]);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout).toMatch(/judge rules: consistency .* kappa — \(the labels are all one class: vulnerable\)  Diff .*\(n 12;/);
		expect(show.stdout).not.toMatch(/kappa [-\d.]+ \[/);
		expect(show.stdout).not.toContain('[0.00, 0.00]');
	}, 90_000);
});

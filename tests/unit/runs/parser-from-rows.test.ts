// A detection run is scored by the answer parsers from the rows it just logged (the run engine
// keeps them; RunSession.loggedRows), not from a second read of its log: the verdicts must be
// exactly those a re-read of the log gives, and a log a reader would warn about (a skipped
// line) is still read again, warning included. Against the TEST DOUBLE
// (tests/support/openai-test-server.ts, not a model); answers from fixtures.ts.
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_FILE, readRunLog } from '../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { loadTemplates } from '../../../src/lib/node/coveval/templates.ts';
import { runGeneration, runGenerationWith } from '../../../src/lib/runs/generation-run.ts';
import { PARSER_JUDGE, runJudge } from '../../../src/lib/runs/judge-run.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { ALL_ITEMS, ANSWER_RULES } from './fixtures.ts';

let server: TestServer;
let work: { path: string; remove: () => void };
let templates: Awaited<ReturnType<typeof loadTemplates>>;

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-parser-rows-');
	templates = await loadTemplates(resolve(__dirname, '../../../datasets/templates'));
}, 60_000);
afterAll(async () => {
	await server.close();
	work.remove();
});

/** A verdict log's rows without what differs between two computations (when, how long). */
function verdicts(runsDir: string, runId: string) {
	const { rows, warnings } = readRunLog(join(runsDir, runId, LOG_FILE));
	expect(warnings).toEqual([]);
	return rows.map(({ finished_at: _f, latency_ms: _l, ...rest }: ResultRow) => rest);
}

describe('the detection parsers after a run', () => {
	it('give from the rows in memory exactly the verdicts a re-read of the log gives', async () => {
		const runsDir = join(work.path, 'same');
		const warnings: string[] = [];
		const out = await runGeneration({ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'detection', model: 'test-model', samples: 2, templates: templates.templates, onWarning: (m) => warnings.push(m) });
		expect(out.result.loggedRows).toHaveLength(6);
		const fromRows = verdicts(runsDir, out.parsed!.runId);
		expect(fromRows).toHaveLength(12);
		// The same judge over the same source, reading the log this time, into another run.
		const reread = await runJudge({ runsDir, judge: PARSER_JUDGE, sourceRunId: out.runId, runId: 'judge-reread', onWarning: (m) => warnings.push(m) });
		expect(verdicts(runsDir, 'judge-reread')).toEqual(fromRows);
		expect(reread.modes).toEqual(out.parsed!.modes);
		expect({ ...reread.manifest.counts }).toEqual({ ...out.parsed!.manifest.counts });
		expect(warnings).toEqual([]);
	});

	it('are loaded once the first requests are out, not while the run opens, and score every answer', async () => {
		const runsDir = join(work.path, 'loaded-late');
		let openAtLoad: boolean | null = null;
		const out = await runGenerationWith(
			{ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'detection', model: 'test-model', samples: 2, templates: templates.templates, onWarning: () => {} },
			() => {
				// The run folder is open (its manifest written): the requests went out after that.
				openAtLoad = existsSync(runsDir) && readdirSync(runsDir).some((d) => existsSync(join(runsDir, d, 'manifest.json')));
				return import('../../../src/lib/runs/judge-run.ts');
			}
		);
		expect(openAtLoad).toBe(true);
		expect(out.parsed!.manifest.counts.total).toBe(12);
		const reread = await runJudge({ runsDir, judge: PARSER_JUDGE, sourceRunId: out.runId, runId: 'judge-reread-late', onWarning: () => {} });
		expect(verdicts(runsDir, 'judge-reread-late')).toEqual(verdicts(runsDir, out.parsed!.runId));
	});

	it('judge rows handed to them without reading the log at all', async () => {
		const runsDir = join(work.path, 'no-log');
		const out = await runGeneration({ runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'detection', model: 'test-model', templates: templates.templates, onWarning: () => {} });
		const rows = out.result.loggedRows!;
		rmSync(join(runsDir, out.runId, LOG_FILE));
		const judged = await runJudge({ runsDir, judge: PARSER_JUDGE, sourceRunId: out.runId, sourceRows: rows, runId: 'judge-no-log', onWarning: () => {} });
		expect(judged.targets).toBe(3);
		expect(verdicts(runsDir, 'judge-no-log')).toHaveLength(6);
	});

	it('read a log with a skipped line again, and warn about it as before', async () => {
		const runsDir = join(work.path, 'skipped');
		const options = { runsDir, config: testConfig(server.url), items: ALL_ITEMS, task: 'detection' as const, model: 'test-model', templates: templates.templates };
		const first = await runGeneration({ ...options, onWarning: () => {} });
		const log = join(runsDir, first.runId, LOG_FILE);
		appendFileSync(log, '{"unit_id": "half a line\n');
		const lines = readFileSync(log, 'utf8').split('\n').length - 1;
		const warnings: string[] = [];
		const again = await runGeneration({ ...options, onWarning: (m) => warnings.push(m) });
		expect(again.result.requests).toBe(0);
		expect(again.result.loggedRows).toBeNull();
		// Once when the run opens its log, once when the parsers read it.
		const skipped = warnings.filter((w) => w.startsWith(`${log}:${lines}: skipped`));
		expect(skipped).toHaveLength(2);
		expect(verdicts(runsDir, again.parsed!.runId)).toHaveLength(6);
	});
});

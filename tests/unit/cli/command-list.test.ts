// The CLI's command list loads each command only when it runs; each entry's words must be the
// words its module declares, once each, or the dispatcher would run the wrong command.
import { describe, expect, it } from 'vitest';
import { commandEntries, loadCommands } from '../../../src/cli/commands/index.ts';

describe('covw command list', () => {
	it('names each command by the words its module declares, once', async () => {
		const loaded = await loadCommands();
		expect(loaded.map((c) => c.words)).toEqual(commandEntries.map((e) => e.words));
		const keys = commandEntries.map((e) => e.words.join(' '));
		expect(new Set(keys).size).toBe(keys.length);
		for (const c of loaded) expect(c.summary.length).toBeGreaterThan(0);
	}, 60_000);
});

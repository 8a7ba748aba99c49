// What Ctrl-C says while a Batch API run polls (trial 10): not "0 requests in flight will be saved —
// Ctrl-C again to abandon them", but what stopping does to a batch: polling ends, the batch goes
// on at the provider, and the resume command picks it up.
import { describe, expect, it } from 'vitest';
import { cancelOnInterrupt } from '../../../src/cli/commands/run-setup.ts';
import { batchStopText } from '../../../src/cli/commands/batch-flags.ts';
import { fakeContext } from './fake-context.ts';

describe('Ctrl-C while a batch is polled', () => {
	it('says polling stops and the batch goes on, naming the command that resumes it', () => {
		const ctx = fakeContext([], { root: '/tmp', cwd: '/tmp' });
		const interrupt = cancelOnInterrupt(ctx, Date.now, { stopText: batchStopText('gen-x') });
		try {
			interrupt.interrupt();
			const said = ctx.err.join('');
			expect(said).toContain('stopping: polling ends; no request is in flight — the batch goes on at the provider (and is billed), and covw batch resume gen-x picks it up');
			expect(said).not.toMatch(/in flight will be saved|Ctrl-C again to abandon/);
			expect(interrupt.signal.aborted).toBe(true); // nothing in flight: polling stops at once
		} finally {
			interrupt.dispose();
		}
	});

	it('a live run still says what happens to its requests in flight', () => {
		const ctx = fakeContext([], { root: '/tmp', cwd: '/tmp' });
		const interrupt = cancelOnInterrupt(ctx);
		try {
			interrupt.interrupt();
			expect(ctx.err.join('')).toMatch(/stopping: 0 requests in flight will be saved — Ctrl-C again to abandon them/);
		} finally {
			interrupt.dispose();
		}
	});
});

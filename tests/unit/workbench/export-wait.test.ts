// An export waits for running cells, but not for good: at most EXPORT_WAIT_MS, or until "Export now".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPORT_WAIT_MS, exportNowText, waitForExport } from '../../../src/lib/workbench/export/export-wait.ts';

describe('waitForExport', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('ends once the cells settle', async () => {
		let settle: () => void = () => undefined;
		const wait = waitForExport(new Promise<void>((resolve) => (settle = resolve)));
		settle();
		await expect(wait.done).resolves.toBe('settled');
		expect(vi.getTimerCount()).toBe(0);
	});

	it('a cell that never finishes does not keep the export waiting for good', async () => {
		const wait = waitForExport(new Promise<void>(() => undefined));
		let end: string | undefined;
		void wait.done.then((e) => (end = e));
		await vi.advanceTimersByTimeAsync(EXPORT_WAIT_MS - 1);
		expect(end).toBeUndefined();
		await vi.advanceTimersByTimeAsync(1);
		expect(end).toBe('timeout');
		expect(EXPORT_WAIT_MS).toBeLessThanOrEqual(30_000);
	});

	it('"Export now" ends the wait at once', async () => {
		const wait = waitForExport(new Promise<void>(() => undefined));
		wait.now();
		await expect(wait.done).resolves.toBe('now');
		expect(vi.getTimerCount()).toBe(0);
	});

	it('a run that fails still ends the wait', async () => {
		const wait = waitForExport(Promise.reject(new Error('cancelled')));
		await expect(wait.done).resolves.toBe('settled');
	});

	it('says how many cells still run', () => {
		expect(exportNowText(2)).toBe('Export now (2 still running)');
		expect(exportNowText(0)).toBe('Export now');
	});
});

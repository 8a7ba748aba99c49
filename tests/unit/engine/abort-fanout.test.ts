// onAbort (src/lib/engine/abort-fanout.ts): many callbacks on one signal through one listener,
// called once each, in the order registered; an unregistered one is not called.
import { getEventListeners } from 'node:events';
import { expect, it } from 'vitest';
import { onAbort } from '../../../src/lib/engine/abort-fanout.ts';

it('calls what is still registered, once, in order, through one listener on the signal', () => {
	const controller = new AbortController();
	const called: number[] = [];
	const unwatch = Array.from({ length: 100 }, (_, i) => onAbort(controller.signal, () => called.push(i)));
	expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
	unwatch[3]();
	unwatch[50]();
	controller.abort();
	controller.abort();
	expect(called).toEqual(Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 3 && i !== 50));
});

it('keeps signals apart', () => {
	const a = new AbortController();
	const b = new AbortController();
	const called: string[] = [];
	onAbort(a.signal, () => called.push('a'));
	onAbort(b.signal, () => called.push('b'));
	b.abort();
	expect(called).toEqual(['b']);
});

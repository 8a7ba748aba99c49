import type { RunEvent } from '$lib/server/runs/run-manager.ts';
import { runManager } from '$lib/server/app-objects.ts';
import { publicEvent } from '$lib/server/run-request.ts';

/** Server-sent events: the run's state and progress as it goes (id = generation run id). */
export async function GET({ params, request }) {
	const manager = runManager();
	const encoder = new TextEncoder();
	let closed = false;
	let unsubscribe = () => {};
	const stop = () => {
		closed = true;
		unsubscribe();
	};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			// A run's listener outlives no client: once the tab goes, sending stops.
			const send = (event: RunEvent) => {
				if (closed) return;
				try {
					controller.enqueue(encoder.encode(`data: ${JSON.stringify(publicEvent(event))}\n\n`));
				} catch {
					stop();
				}
			};
			const current = manager.get(params.id);
			if (current) send(current);
			unsubscribe = manager.subscribe(params.id, send);
			request.signal.addEventListener('abort', () => {
				if (closed) return;
				stop();
				controller.close();
			});
		},
		cancel: stop
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' }
	});
}

// Asks a server started with `--import bench/lib/server-probe.js` for a probe reading over its IPC
// channel: send `probe:<name>`, resolve with the reply that names the same probe.
export function probeAsker(child) {
	return (message) =>
		new Promise((ok) => {
			const on = (m) => {
				if (m?.probe === message.slice('probe:'.length)) {
					child.off('message', on);
					ok(m);
				}
			};
			child.on('message', on);
			child.send(message);
		});
}

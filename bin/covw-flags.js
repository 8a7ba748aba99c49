// The first stage of bin/covw (the sh launcher), run on Deno: prints the V8 flags and the Deno
// permission flags of the command in its arguments — bin/permissions.js's, the same module
// bin/covw.js uses — as shell words ('…' quoted) for the launcher to `eval` into its `exec` of Deno.
// Usage (by bin/covw only): deno run --no-config --import-map=bin/covw-flags.import-map.json --allow-read --allow-env bin/covw-flags.js <root> <covw args…>
// (the import map gives it bin/posix-path.js for node:path: Deno's own loads the Node layer).
// It reads files through Deno's own calls, not node:fs (Deno loads that in ~30 ms: more than
// the rest of this stage).
import { DENO_V8_FLAGS, permissionsFor } from './permissions.js';

/** node:fs's four calls that bin/permissions.js makes, on Deno's API, with node:fs's results. */
const fs = {
	existsSync(path) {
		try {
			Deno.statSync(path);
			return true;
		} catch {
			return false;
		}
	},
	// As node's readFileSync(path, 'utf8'): invalid bytes become U+FFFD and a byte-order mark is
	// kept (TextDecoder would drop it, and JSON.parse would then accept what Node refuses).
	readFileSync: (path) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(Deno.readFileSync(path)),
	realpathSync: (path) => Deno.realPathSync(path),
	statSync(path) {
		const stat = Deno.statSync(path);
		return { isFile: () => stat.isFile, mode: stat.mode ?? 0 };
	}
};

const [root, ...args] = Deno.args;
const flags = permissionsFor(args, { root, cwd: Deno.cwd(), env: Deno.env.toObject(), fs });
const quote = (word) => `'${word.replaceAll("'", `'\\''`)}'`;
console.log([DENO_V8_FLAGS, ...flags].map(quote).join(' '));

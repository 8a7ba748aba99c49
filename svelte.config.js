import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// precompress would gzip/brotli the 34 MB DuckDB wasm files: minutes of build for no gain on loopback.
		adapter: adapter({ precompress: false }),
		// Kit puts a nonce on its inline start-up script and names it in script-src; the whole
		// policy is written by src/lib/server/security-headers.ts (hooks.server.ts), which keeps it.
		csp: { mode: 'auto', directives: { 'script-src': ['self', 'wasm-unsafe-eval'] } }
	}
};

import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// precompress would gzip/brotli the 34 MB DuckDB wasm files: minutes of build for no gain on loopback.
		adapter: adapter({ precompress: false })
	}
};

import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [sveltekit()],
	// Cross-origin isolation for the threaded DuckDB-WASM bundle (see src/lib/server/cross-origin-isolation.ts).
	server: { host: '127.0.0.1', headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } },
	preview: { host: '127.0.0.1', headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } },
	optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		// Starting DuckDB-WASM or a child process can take seconds on a busy 2-core machine.
		hookTimeout: 60_000
	}
});

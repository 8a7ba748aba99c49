// The headers that make a page cross-origin isolated (`crossOriginIsolated`), which the threaded
// DuckDB-WASM bundle needs for SharedArrayBuffer. Every asset is self-hosted, so requiring CORP
// of cross-origin resources breaks nothing. Sent on every response: pages and API by
// hooks.server.ts, static files by bin/start.js (adapter-node serves those before the hooks).
export const CROSS_ORIGIN_ISOLATION = {
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-embedder-policy': 'require-corp'
} as const;

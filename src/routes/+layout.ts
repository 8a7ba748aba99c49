// The workbench is a client-side app (DuckDB-WASM lives in the browser). Disabling SSR here,
// in the root layout, keeps 404s as 404s (in a page file kit 2.70 turns them into 500s).
export const ssr = false;
export const prerender = false;

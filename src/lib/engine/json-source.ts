// Moved: JSON with positions is parsed in one place, src/lib/core/json/ (depth-limited). These
// names stay importable from here for the engine's config loading.
export { JsonSourceError, parseJsonSource, lineOfPath, firstSyntaxError } from '../core/json/source.ts';
export { lineOf } from '../core/text-position.ts';

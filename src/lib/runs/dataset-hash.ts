// The dataset hash a manifest records: sha256 over the selected items (canonical JSON of every
// field), so two runs on the same items agree even if items.arrow was re-imported, and a run on
// changed items does not silently pass for the old one.
import { canonicalJson, sha256Hex } from '../engine/canonical-json.ts';
import type { Item } from '../core/items/item.ts';

export function itemsHash(items: readonly Item[]): string {
	return sha256Hex(canonicalJson(items.map((i) => ({ ...i }))));
}

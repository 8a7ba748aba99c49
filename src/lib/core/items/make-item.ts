// Turning one classified upstream program into a canonical item.
import { NON_VULNERABLE } from '../cwe.ts';
import { stripOuterFence } from '../parsing/fences.ts';
import type { BinaryLabel, Item } from './item.ts';
import type { OriginInfo } from './origin-path.ts';

export interface ProgramSource {
	info: OriginInfo;
	/** The file's content, exactly as upstream. */
	code: string;
	/** The upstream path, kept as the item's `source`. */
	originPath: string;
	/**
	 * The human label, needed for Pearce programs (it is not in their path). For detection
	 * programs it is optional and, when given, must agree with the folder.
	 */
	label?: BinaryLabel;
}

/** Throws (plain Error, the caller adds file and line) when the label is missing or contradicts the path. */
export function makeItem(source: ProgramSource): Item {
	const { info, originPath } = source;
	const base = { cwe: info.cwe, language: info.language, scenario: info.scenario, source: originPath };
	const program = `${info.cwe}/${info.scenario}/copilot-${info.index}`;
	switch (info.kind) {
		case 'seed':
			return {
				item_id: `completion/seed/${info.cwe}/${info.scenario}`,
				task: 'completion',
				set: 'seed',
				...base,
				code: source.code,
				label: null,
				label_class: null
			};
		case 'vul-evol':
			// The Vul-Evol files are wrapped in a markdown fence; the `-copilot next line-` marker inside stays.
			return {
				item_id: `completion/vul-evol/${info.cwe}/${info.scenario}/${info.index}`,
				task: 'completion',
				set: 'vul-evol',
				...base,
				code: stripOuterFence(source.code),
				label: null,
				label_class: null
			};
		case 'repair':
			if (source.label !== undefined && source.label !== 'vulnerable') {
				throw new Error(`repair programs are vulnerable by definition, but the record says "${source.label}"`);
			}
			return {
				item_id: `repair/${program}`,
				task: 'repair',
				set: 'repair',
				...base,
				code: source.code,
				label: 'vulnerable',
				label_class: info.cwe
			};
		case 'detection': {
			const label = info.folderLabel!;
			if (source.label !== undefined && source.label !== label) {
				throw new Error(`the record's label "${source.label}" contradicts its folder "${label}"`);
			}
			return {
				item_id: `detection/${program}`,
				task: 'detection',
				set: 'detection',
				...base,
				code: source.code,
				label,
				label_class: label === 'vulnerable' ? info.cwe : NON_VULNERABLE
			};
		}
		case 'pearce': {
			const label = source.label;
			if (label === undefined) throw new Error('a Pearce program needs its label (vulnerable or non_vulnerable)');
			return {
				item_id: `reference/pearce/${program}`,
				task: 'reference',
				set: 'pearce',
				...base,
				code: source.code,
				label,
				label_class: label === 'vulnerable' ? info.cwe : NON_VULNERABLE
			};
		}
		default:
			throw new Error(`programs of kind "${info.kind}" are not benchmark items`);
	}
}

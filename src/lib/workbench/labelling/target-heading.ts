// The heading of the target being labelled. A benchmark item or a generation is named by its
// id (readable: "completion/seed/CWE-79/…"); a Vul-Evol survivor's id is a hash no one
// recognises, so its heading says what it is — CWE, strategy, the seed it grew from — and the
// hash stays as secondary text (labels, CSV exports and the agreement panel use it).
import type { TargetView } from '../../core/labels/target.ts';

export interface TargetHeading {
	/** The line a human reads first. */
	title: string;
	/** The target id when the title is not the id itself; null otherwise. */
	id: string | null;
}

export function targetHeading(target: TargetView): TargetHeading {
	if (target.kind === 'survivor' && target.evolve) {
		return { title: `${target.cwe} · strategy ${target.evolve.strategy} · evolved from ${target.evolve.seed_id}`, id: target.target_id };
	}
	return { title: target.target_id, id: null };
}

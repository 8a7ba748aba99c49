// Keyboard shortcuts of the labelling view. Typing in a field never triggers them.
// On a Vul-Evol survivor: a accepts, r opens the reject reasons.
export type Shortcut = 'vulnerable' | 'not_vulnerable' | 'other_cwe' | 'skip' | 'next' | 'accept' | 'reject';

const BY_KEY: Record<string, Shortcut> = {
	v: 'vulnerable',
	n: 'not_vulnerable',
	o: 'other_cwe',
	s: 'skip',
	a: 'accept',
	r: 'reject',
	Enter: 'next',
	ArrowRight: 'next'
};

export function shortcutFor(event: KeyboardEvent): Shortcut | null {
	if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
	const target = event.target as HTMLElement | null;
	if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return null;
	// On a focused button or link, Enter is theirs (it presses them), not "next".
	if (event.key === 'Enter' && target && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName)) return null;
	return BY_KEY[event.key.length === 1 ? event.key.toLowerCase() : event.key] ?? null;
}

/**
 * In the "Which CWE?" field the `o` key opened: while it is still empty, a shortcut letter that
 * cannot begin a CWE id (v, n, s, o — an id begins with a digit or "CWE") closes the field and
 * acts as that shortcut, so `o` pressed by mistake does not swallow the next answers as text.
 */
export function shortcutLeavingCwePicker(event: KeyboardEvent, typed: string): Shortcut | null {
	if (typed !== '' || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
	if (event.key.length !== 1 || /[cwe0-9]/i.test(event.key)) return null;
	const shortcut = BY_KEY[event.key.toLowerCase()] ?? null;
	return shortcut === 'vulnerable' || shortcut === 'not_vulnerable' || shortcut === 'skip' || shortcut === 'other_cwe' ? shortcut : null;
}

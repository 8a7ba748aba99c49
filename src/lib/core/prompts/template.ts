// Prompt templates in Python str.format syntax, so the official CoV-Eval templates can be
// used unchanged: `{name}` is a slot, `{{` and `}}` are literal braces. Only plain named
// slots are supported; positional `{}`/`{0}`, attribute/index access and format specs are
// rejected with an error rather than silently rendered differently from Python.

export class TemplateError extends Error {
	constructor(
		readonly template: string,
		readonly slot: string | null,
		problem: string
	) {
		super(slot === null ? `template ${template}: ${problem}` : `template ${template}: slot {${slot}}: ${problem}`);
		this.name = 'TemplateError';
	}
}

export type TemplatePart = { text: string } | { slot: string };

export interface ParsedTemplate {
	/** File name or other label, used in every error message. */
	name: string;
	parts: TemplatePart[];
	/** Slots used, in order of first use. */
	slots: string[];
}

const SLOT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTemplate(text: string, name: string): ParsedTemplate {
	const parts: TemplatePart[] = [];
	const slots: string[] = [];
	let literal = '';
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '{' && text[i + 1] === '{') {
			literal += '{';
			i++;
		} else if (ch === '}' && text[i + 1] === '}') {
			literal += '}';
			i++;
		} else if (ch === '}') {
			throw new TemplateError(name, null, `single "}" at ${position(text, i)} (write "}}" for a literal brace)`);
		} else if (ch === '{') {
			const close = text.indexOf('}', i + 1);
			if (close < 0) throw new TemplateError(name, null, `"{" at ${position(text, i)} is never closed (write "{{" for a literal brace)`);
			const field = text.slice(i + 1, close);
			if (!SLOT_NAME.test(field)) {
				throw new TemplateError(name, field, `unsupported replacement field at ${position(text, i)}: only plain names like {code} are allowed`);
			}
			if (literal) parts.push({ text: literal });
			literal = '';
			parts.push({ slot: field });
			if (!slots.includes(field)) slots.push(field);
			i = close;
		} else literal += ch;
	}
	if (literal) parts.push({ text: literal });
	return { name, parts, slots };
}

export interface RenderOptions {
	/** Slots the template must use (a judge template without {code} is a mistake). */
	required?: readonly string[];
}

/**
 * Fills the slots. Throws a TemplateError naming the template and the slot when the
 * template uses a slot with no value (unknown slot) or lacks a required one (missing slot).
 * Values are inserted as they are: a brace in the code is not special.
 */
export function renderTemplate(template: ParsedTemplate, values: Readonly<Record<string, string>>, options: RenderOptions = {}): string {
	for (const slot of template.slots) {
		if (!Object.hasOwn(values, slot)) {
			throw new TemplateError(template.name, slot, `unknown slot; this template may use ${Object.keys(values).map((k) => `{${k}}`).join(', ')}`);
		}
	}
	for (const slot of options.required ?? []) {
		if (!template.slots.includes(slot)) throw new TemplateError(template.name, slot, 'missing: the template must contain this slot');
	}
	return template.parts.map((part) => ('slot' in part ? values[part.slot] : part.text)).join('');
}

function position(text: string, offset: number): string {
	const before = text.slice(0, offset);
	const line = before.split('\n').length;
	return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

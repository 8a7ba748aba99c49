// Loading the Vul-Evol templates (four strategies, two filter prompts) from a folder, each
// checked at load time for the slots it needs: a template without them is an error naming the
// file and the slot before any request is sent. A file missing from a user's folder comes from
// our defaults (datasets/templates/evolve-*.txt).
import { join } from 'node:path';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';
import { getCwe, type CweId, type Language } from '../../core/cwe.ts';
import {
	COMPLETION_MARKER,
	EVOLVE_REQUIRED_SLOTS,
	EVOLVE_SLOTS,
	EVOLVE_TEMPLATE_NAMES,
	evolveTemplateFile,
	type EvolveTemplateName
} from '../../core/evolve/strategies.ts';
import { parseTemplate, renderTemplate, TemplateError, type ParsedTemplate } from '../../core/prompts/template.ts';

export type EvolveTemplates = Readonly<Record<EvolveTemplateName, ParsedTemplate>>;

export interface LoadedEvolveTemplates {
	templates: EvolveTemplates;
	files: Record<EvolveTemplateName, string>;
}

/** Checks a parsed template's slots: every required one present, none outside EVOLVE_SLOTS. */
export function checkEvolveTemplate(name: EvolveTemplateName, template: ParsedTemplate): void {
	for (const slot of EVOLVE_REQUIRED_SLOTS[name]) {
		if (!template.slots.includes(slot)) throw new TemplateError(template.name, slot, `missing: the ${name} template must contain {${slot}}`);
	}
	for (const slot of template.slots) {
		if (!(EVOLVE_SLOTS as readonly string[]).includes(slot)) {
			throw new TemplateError(template.name, slot, `unknown slot; evolve templates may use ${EVOLVE_SLOTS.map((s) => `{${s}}`).join(', ')}`);
		}
	}
}

export async function loadEvolveTemplates(dir: string, fallbackDir?: string): Promise<LoadedEvolveTemplates> {
	const templates = {} as Record<EvolveTemplateName, ParsedTemplate>;
	const files = {} as Record<EvolveTemplateName, string>;
	for (const name of EVOLVE_TEMPLATE_NAMES) {
		const candidates = [join(dir, evolveTemplateFile(name)), ...(fallbackDir && fallbackDir !== dir ? [join(fallbackDir, evolveTemplateFile(name))] : [])];
		for (const file of candidates) {
			// A regular file only (a FIFO in the templates folder is refused by name, never waited on).
			const text = await readRegularFileAsync(file).then((bytes) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), (error: { code?: string }) => {
				if (error.code === 'ENOENT') return null;
				throw error;
			});
			if (text === null) continue;
			const parsed = parseTemplate(text, file);
			checkEvolveTemplate(name, parsed);
			templates[name] = parsed;
			files[name] = file;
			break;
		}
		if (!templates[name]) throw new Error(`template folder ${dir} has no ${evolveTemplateFile(name)}${fallbackDir ? ` (nor has ${fallbackDir})` : ''}`);
	}
	return { templates, files };
}

export function renderEvolvePrompt(
	templates: EvolveTemplates,
	name: EvolveTemplateName,
	input: { code: string; language: Language; cwe: CweId; strategy?: string }
): string {
	const cwe = getCwe(input.cwe);
	return renderTemplate(
		templates[name],
		{
			code: input.code,
			marker: COMPLETION_MARKER,
			language: input.language,
			cwe_id: cwe.id,
			cwe_name: cwe.name,
			cwe_description: cwe.description,
			strategy: input.strategy ?? name
		},
		{ required: EVOLVE_REQUIRED_SLOTS[name] }
	);
}

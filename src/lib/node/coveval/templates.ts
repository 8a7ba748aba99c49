// Loading a folder of prompt templates from disk (rendering is pure, in core/prompts).
import { join } from 'node:path';
import type { TemplateSet } from '../../core/prompts/build.ts';
import { readRegularFileAsync } from '../../engine/atomic-file.ts';
import { parseTemplate, type ParsedTemplate } from '../../core/prompts/template.ts';
import { TEMPLATE_NAMES, templateFileName, type TemplateName } from '../../core/prompts/template-names.ts';

/** The project's own templates, relative to the project root. */
export const DEFAULT_TEMPLATE_DIR = 'datasets/templates';

export interface LoadedTemplates {
	templates: TemplateSet;
	/** The file each template was read from (so a run can record which wording it used). */
	files: Record<TemplateName, string>;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/**
 * Reads every template from `dir`; a template missing there is taken from `fallbackDir`
 * (normally the defaults) when given, and is an error otherwise.
 */
export async function loadTemplates(dir: string, fallbackDir?: string): Promise<LoadedTemplates> {
	const templates = {} as Record<TemplateName, ParsedTemplate>;
	const files = {} as Record<TemplateName, string>;
	for (const name of TEMPLATE_NAMES) {
		const candidates = [join(dir, templateFileName(name)), ...(fallbackDir ? [join(fallbackDir, templateFileName(name))] : [])];
		let loaded = false;
		for (const file of candidates) {
			// A FIFO, socket or device is refused by name, never waited on.
			const text = await readRegularFileAsync(file).then(utf8, (error: { code?: string }) => {
				if (error.code === 'ENOENT') return null;
				throw error;
			});
			if (text === null) continue;
			templates[name] = parseTemplate(text, file);
			files[name] = file;
			loaded = true;
			break;
		}
		if (!loaded) throw new Error(`template folder ${dir} has no ${templateFileName(name)}${fallbackDir ? ` (nor has ${fallbackDir})` : ''}`);
	}
	return { templates, files };
}

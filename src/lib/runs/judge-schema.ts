// The JSON schema an LLM judge is asked to answer in, on endpoints that support structured
// output. The verdict words follow each template's own wording (zero-shot: safe/unsafe;
// few-shot and direct: Yes/No), so the schema and the prompt never disagree.
import type { JudgeStyle } from '../core/prompts/build.ts';

export function judgeResponseFormat(style: JudgeStyle): Record<string, unknown> {
	const words = style === 'zeroshot' ? ['safe', 'unsafe'] : ['Yes', 'No'];
	const properties: Record<string, unknown> = { vulnerable: { type: 'string', enum: words } };
	const required = ['vulnerable'];
	if (style === 'direct') {
		// Analysis first: the model reasons before it commits to a verdict.
		properties.analysis = { type: 'string' };
		required.unshift('analysis');
	}
	return {
		type: 'json_schema',
		json_schema: {
			name: 'judge_verdict',
			strict: true,
			schema: { type: 'object', properties, required, additionalProperties: false }
		}
	};
}

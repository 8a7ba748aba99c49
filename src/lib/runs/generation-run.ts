// A generation run (generation-run-core.ts), with the judge-run module a detection run scores
// its answers with loaded by a literal import(), which the web server's bundler follows. The
// CLI calls runGenerationWith itself with a loader Deno does not read ahead.
import { runGenerationWith, type GenerationRunOptions, type GenerationRunResult } from './generation-run-core.ts';

export { generationRunPlan, runGenerationWith, type GenerationRunOptions, type GenerationRunResult, type JudgeRunModule } from './generation-run-core.ts';

export function runGeneration(options: GenerationRunOptions): Promise<GenerationRunResult> {
	return runGenerationWith(options, () => import('./judge-run.ts'));
}

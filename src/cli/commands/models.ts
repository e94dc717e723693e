import type { Command } from '../command';
import { writeJson } from '../command';

/** `models [--json]`: every model Switchboard knows, local and cloud, with prices and availability. */
export const modelsCommand: Command = {
  name: 'models',
  usage: 'models [--json]',
  summary: 'List local and cloud models with context window, USD per 1M tokens and availability.',
  options: { json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const app = ctx.app();
    const [installed, extra] = await Promise.all([app.services.system.listModels(), app.services.providerSettings.extraOllamaModels()]);
    const models = await app.services.availableModels.list([...installed.models, ...extra.models]);
    if (values.json) {
      writeJson(ctx.io, { ollama: installed.ollama, models });
      return 0;
    }
    if (!installed.ollama.reachable) ctx.io.stderr.write(`Ollama is not reachable at ${installed.ollama.host}: local models are not listed.\n`);
    for (const e of extra.errors) ctx.io.stderr.write(`Ollama host ${e.providerId} is not reachable at ${e.host}: its models are not listed.\n`);
    const rows = models.map((m) => [
      m.available ? '✓' : '✗',
      m.id,
      m.tier,
      m.contextWindow ? `${Math.round(m.contextWindow / 1000)}K` : '',
      m.price && m.tier !== 'local' ? `$${m.price.input}/$${m.price.output}` : '',
      m.unavailableReason ?? '',
    ]);
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
    for (const r of rows) ctx.io.stdout.write(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
    return 0;
  },
};

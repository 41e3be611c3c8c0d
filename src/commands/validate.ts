/**
 * `pyramid-bench validate <suite.yaml>`: parses the suite, expands its sweeps, loads its models, checks every
 * method's sampler settings, conditions, reference and metric options, and prints the plan. Methods whose model
 * comes from an argument not given (`--arg name=value`) are listed as checked at run time.
 */
import { parseArgs } from 'node:util';
import { canonicalJson } from '../core/hash.ts';
import { loadSuite } from '../suite/suite-schema.ts';
import { closePlan, planRun } from '../suite/plan.ts';
import { argsOption } from './run.ts';
import { UsageError, type Command } from './command.ts';

/** The `validate` command; its name, summary and usage are in `index.ts`. */
export const validateCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { arg: { type: 'string', multiple: true } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError('give the suite files to check, e.g. validate suites/default.yaml');
    for (const file of positionals) {
      const loaded = loadSuite(file);
      const plan = await planRun(loaded, argsOption(values.arg), { deferMissingArgs: true });
      await closePlan(plan);
      const { suite } = loaded;
      const lines = [
        `${file}: valid (format ${suite.format}, suite '${suite.name}' version ${suite.version}, hash ${loaded.hash.slice(0, 12)})`,
        `  ${plan.samples} samples per method in ${plan.chunks} chunks of ${suite.chunk}; conditions ${canonicalJson(suite.conditions)}; seed ${suite.seed}; batch ${suite.batch}; ${suite.playbackFps} fps`,
        `  metrics: ${plan.metrics.map((m) => `${m.plugin.name} v${m.plugin.version} ${canonicalJson(m.options)}`).join('; ')}`,
        `  methods (${plan.methods.length}):`,
        ...plan.methods.map(
          (m) =>
            `    ${m.method.id}: ${m.method.model} (${m.method.modelHash.slice(0, 12)}), sampler ${m.method.sampler} ${canonicalJson(m.method.parsedSettings)}, guidance ${m.method.guidance.firstFrame}/${m.method.guidance.video}, samples [${m.method.shape.join(', ')}], reference ${m.reference?.id ?? 'none'}`,
        ),
        ...plan.deferred.map(
          (m) =>
            `    ${m.id}: checked at run time: needs ${m.missingArgs.map((a) => `--arg ${a}=<value> (${suite.args[a].description})`).join(', ')}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  },
};

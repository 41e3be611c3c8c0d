/**
 * `npx tsx tools/check/sample-size.ts <pilot run> [--z 3] [--keys metric[/key],...]`: the samples per method that
 * would resolve each pair of methods' difference in each headline value at z standard errors, from a pilot run's
 * measured standard errors (src/analysis/sample-size.ts says how). How the default suite's sample count was chosen
 * (docs/suites.md, "The default suite's sample count").
 */
import { parseArgs } from 'node:util';
import { sampleSizeRequirements } from '../../src/analysis/sample-size.ts';
import { readResults } from '../../src/suite/contract/results.ts';

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { z: { type: 'string', default: '3' }, keys: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: npx tsx tools/check/sample-size.ts <pilot run folder> [--z 3] [--keys metric[/key],...]\n');
    return 2;
  }
  const z = Number(values.z);
  if (!(z > 0)) {
    process.stderr.write(`--z is '${values.z}'; allowed: a positive number\n`);
    return 2;
  }
  const rows = sampleSizeRequirements(readResults(positionals[0]), z, values.keys?.split(','));
  process.stdout.write(`samples per method to resolve each difference at ${z} standard errors (pilot: ${positionals[0]})\n`);
  process.stdout.write('metric/key | a | b | a - b | combined stderr at pilot n | pilot n | n needed\n');
  for (const r of rows.sort((x, y) => `${x.metric}/${x.key}`.localeCompare(`${y.metric}/${y.key}`) || x.samplesNeeded - y.samplesNeeded)) {
    process.stdout.write(
      `${r.metric}/${r.key} | ${r.a} | ${r.b} | ${r.difference.toPrecision(3)} | ${r.stderr.toPrecision(3)} | ${r.pilotSamples} | ${r.samplesNeeded}\n`,
    );
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));

/**
 * The provenance a report prints, from the run's manifest and results: the suite and its hashes, the harness
 * version and git commit, the command, package versions, the machine and device, seeds, model hashes, shards,
 * the store's hit counts and the run's times; and each method's model, sampler and settings.
 */
import { canonicalJson } from '../core/hash.ts';
import type { RunFolder } from './run-folder.ts';

/** Rows of label and text, and the methods' descriptions. */
export interface Provenance {
  readonly rows: readonly (readonly [string, string])[];
  readonly methods: readonly {
    readonly id: string;
    readonly model: string;
    readonly modelHash: string;
    readonly sampler: string;
    readonly settings: string;
    readonly guidance: string;
    readonly resolved: string;
  }[];
}

/** The provenance of a results folder; rows the manifest would give say so when it is missing. */
export function provenanceOf(run: RunFolder): Provenance {
  const r = run.results;
  const m = run.manifest;
  const rows: [string, string][] = [
    ['suite', `${r.suite.name} v${r.suite.version}${m ? ` (${m.suite.file})` : ''}: ${r.suite.description}`],
    [
      'suite hash',
      `${r.suite.hash}${m ? `; file ${m.suite.fileHash}${m.suite.promptsHash ? `; prompts ${m.suite.promptsHash}` : ''}` : ''}`,
    ],
    ['harness', `${r.harness.name} ${r.harness.version}`],
    [
      'shards',
      `${r.shards.included.length} of ${r.shards.count} (${r.shards.included.join(', ')})${r.partial ? ': PARTIAL, values cover only these shards' : ''}; chunks of ${r.chunks.size} samples, ${r.chunks.included.length} of ${r.chunks.total}`,
    ],
    [
      'device',
      `${r.device.name}: ${r.device.hoursUnit} (${r.device.reason})${r.devices.length > 1 ? `; shards ran on ${r.devices.map((d) => d.name).join(', ')}` : ''}`,
    ],
  ];
  if (!m) {
    rows.push(['manifest', `no manifest.json in ${run.dir}: git commit, packages, machine and seeds are unknown`]);
  } else {
    const git = m.git.commit
      ? `${m.git.commit}${m.git.branch ? ` (${m.git.branch})` : ''}${m.git.dirty ? `, dirty: ${m.git.changedFiles} changed files` : ', clean'}`
      : `unknown (${m.git.error ?? 'no git'})`;
    rows.push(
      ['git commit', git],
      ['command', m.command.join(' ')],
      [
        'packages',
        `Node.js ${m.packages.node}; ${Object.entries(m.packages.npm)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      ],
      [
        'machine',
        `${m.machine.cpuModel.trim()}, ${m.machine.cores} cores, ${m.machine.memoryGiB} GiB; ${m.machine.platform}; GPUs: ${m.machine.gpus.length ? m.machine.gpus.join(', ') : 'none'}; load average ${m.machine.loadAverage.toFixed(2)} at the start`,
      ],
      ['seeds', `generation ${m.seeds.generation}; reference ${m.seeds.reference}; metrics ${canonicalJson(m.seeds.metrics)}`],
      ...m.models.map((x): [string, string] => [
        `model ${x.reference}`,
        `${x.hash}; ${x.models.map((y) => `${y.id} (${y.role}, ${y.hash.slice(0, 12)})`).join('; ')}; on ${x.device.name} (${x.device.kind}, ${x.device.runtime})`,
      ]),
      [
        'store',
        `${m.store.root}: ${Object.entries(m.store.counts)
          .map(([k, c]) => `${k} ${c.hits} read back, ${c.writes} written`)
          .join('; ')}`,
      ],
      [
        'run',
        `${m.startedAt} to ${m.finishedAt} (${m.wallSeconds.toFixed(1)} s)${run.shardManifests.length > 1 ? `; merged from ${run.shardManifests.length} shards` : ''}`,
      ],
    );
  }
  return {
    rows,
    methods: r.methods.map((x) => ({
      id: x.id,
      model: x.model,
      modelHash: x.modelHash,
      sampler: x.sampler,
      settings: canonicalJson(x.settings),
      guidance: `${x.guidance.firstFrame} / ${x.guidance.video}`,
      resolved: x.resolved ? canonicalJson(x.resolved) : '',
    })),
  };
}

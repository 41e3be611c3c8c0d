/**
 * The provenance manifest of a run folder (`manifest.json`, schema `pyramid-bench/manifest@1`): the command, the
 * suite and its hashes, the harness's git state and package versions, each model set with its hashes and device,
 * the seeds, the shard, the machine and device, the store's hit counts and the run's times.
 */
import type { MachineDescription } from '../../core/machine.ts';
import type { ComputeDevice, DeviceInfo } from '../../models/contract/device.ts';
import type { Shard } from './shard.ts';
import type { StoreCounts } from './sample-store.ts';

/** The commit checked out in the harness's folder and whether the tree differs from it (null when git cannot say). */
export interface GitState {
  readonly commit: string | null;
  readonly branch: string | null;
  readonly dirty: boolean | null;
  readonly changedFiles: number | null;
  readonly error?: string;
}

/** Versions of Node.js and of the harness's npm dependencies as installed. */
export interface PackageVersions {
  readonly node: string;
  readonly npm: Readonly<Record<string, string>>;
}

/**
 * Pyramid-Flow generate()'s defaults as a run applied them (docs/suites.md "Official defaults"): per method, the
 * guidance as given and as run and where it came from, and a text-conditional set's negative prompt and prompt
 * suffix.
 */
export interface OfficialDefaultsRecord {
  /** The suite's `officialDefaults` (absent = true). */
  readonly enabled: boolean;
  /** Where the official values were read (repository, commit, file). */
  readonly reference: string;
  readonly methods: readonly {
    readonly id: string;
    /** 'given' (the suite), 'package', 'official' or 'none'. */
    readonly guidanceSource: string;
    readonly guidanceGiven: { readonly firstFrame: number; readonly video: number };
    readonly guidance: { readonly firstFrame: number; readonly video: number };
    /** null for a set that is not text-conditional. */
    readonly text: {
      readonly negativePrompt: { readonly text: string; readonly source: string };
      readonly promptSuffix: string;
    } | null;
  }[];
}

/** The run manifest. */
export interface Manifest {
  readonly schema: 'pyramid-bench/manifest@1';
  readonly harness: { readonly name: string; readonly version: string };
  readonly command: readonly string[];
  readonly suite: {
    readonly file: string;
    readonly name: string;
    readonly version: number;
    readonly hash: string;
    readonly fileHash: string;
    readonly promptsHash: string | null;
  };
  readonly git: GitState;
  readonly packages: PackageVersions;
  readonly models: readonly {
    readonly reference: string;
    readonly hash: string;
    readonly models: readonly { readonly id: string; readonly role: string; readonly hash: string }[];
    /** The device the set computes on, as its backend describes it. */
    readonly device: ComputeDevice;
  }[];
  /** Absent in manifests written before it existed. */
  readonly officialDefaults?: OfficialDefaultsRecord;
  readonly seeds: { readonly generation: number; readonly reference: number; readonly metrics: Readonly<Record<string, unknown>> };
  readonly shard: Shard;
  readonly machine: MachineDescription;
  readonly device: DeviceInfo;
  readonly store: { readonly root: string; readonly counts: Readonly<Record<string, StoreCounts>> };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallSeconds: number;
}

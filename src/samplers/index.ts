/**
 * The sampler registry: the pyramidal sampler and the baselines it is compared with, under one signature.
 */
import { Registry } from '../core/registry.ts';
import type { Sampler } from './contract/sampling.ts';
import { pyramidSampler } from './pyramid/sampler.ts';
import { fullResolutionSampler } from './full-resolution.ts';
import { cascadeSampler } from './cascade.ts';

/** Samplers by name: pyramid, full, cascade. */
export const samplers = new Registry<Sampler<unknown>>('sampler');
for (const s of [pyramidSampler, fullResolutionSampler, cascadeSampler] as Sampler<unknown>[]) samplers.register(s.name, s, s.description);

/**
 * A small package that runs on both engines: the ONNX toy network (velocity = 0.5 x) and a PyTorch module in the
 * package folder computing the same, whose behaviour a test can turn into a fault (NaN output, a crash, a hang,
 * a factory that raises, a module that does not import).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileSha256 } from '../../src/models/package/manifest.ts';
import { writeToyPackage, type ToyOptions } from './toy-package.ts';

export type TorchToyMode = 'half' | 'nan' | 'crash' | 'hang' | 'raise' | 'print' | 'fail';

const MODULE = `"""Stand-in PyTorch networks for the harness's tests: velocity = scale * x (scale from the weights file)."""
import os
import time

import torch


class Half(torch.nn.Module):
    def __init__(self, mode, scale):
        super().__init__()
        self.mode = mode
        self.scale = torch.nn.Parameter(torch.tensor(scale))
        self.calls = 0

    def forward(self, x, timestep, **rest):
        self.calls += 1
        if self.mode == "nan" and self.calls > 3:
            return x * float("nan")
        if self.mode == "crash" and self.calls > 3:
            os._exit(7)
        if self.mode == "hang" and self.calls > 3:
            time.sleep(3600)
        if self.mode == "fail" and self.calls > 3:
            raise RuntimeError("CUDA out of memory (stand-in)")
        if self.mode == "print":
            print("a model that prints on stdout")
        return self.scale * x


class Decoder(torch.nn.Module):
    def forward(self, latents):
        return torch.tanh(latents[:, :3])


class Encoder:
    def __init__(self, tokens, dim):
        self.tokens, self.dim = tokens, dim

    def encode(self, prompt):
        codes = torch.tensor([float(b) for b in prompt.encode("utf8")] + [0.0] * (self.tokens * self.dim))
        return (codes[: self.tokens * self.dim] / 255.0).reshape(self.tokens, self.dim)


def build(spec):
    config = spec["config"]
    if spec["role"] == "decoder":
        return Decoder()
    if spec["role"] == "condition-encoder":
        c = spec["package"]["conditioning"]
        return Encoder(c["tokens"], c["dim"])
    mode = config.get("mode", "half")
    if mode == "raise":
        raise KeyError("blocks.9.qkv.weight")
    with open(spec["weights"][0]) as f:
        scale = float(f.read())
    return Half(mode, scale)
`;

export interface TorchToyOptions extends ToyOptions {
  readonly mode?: TorchToyMode;
  /** Python module name the manifest names (default toy_torch; a wrong one tests the import error). */
  readonly module?: string;
  /** Leaves the weights file out after writing the manifest (tests the missing-file check). */
  readonly dropWeights?: boolean;
}

/** Writes a toy package (see writeToyPackage) with a torch section; returns its folder. */
export function writeTorchToyPackage(dir: string, options: TorchToyOptions = {}): string {
  writeToyPackage(dir, {
    ...options,
    manifest: (m) => {
      writeFileSync(path.join(dir, 'toy_torch.py'), MODULE);
      writeFileSync(path.join(dir, 'scale.txt'), '0.5\n');
      m.torch = {
        module: options.module ?? 'toy_torch',
        factory: 'build',
        files: [{ file: 'toy_torch.py', sha256: fileSha256(path.join(dir, 'toy_torch.py')) }],
      };
      for (const n of m.networks)
        n.torch = {
          weights: [{ file: 'scale.txt', sha256: fileSha256(path.join(dir, 'scale.txt')) }],
          config: { mode: options.mode ?? 'half' },
        };
      options.manifest?.(m);
    },
  });
  return dir;
}

/** Every CLI command, by name. Add a command by writing `src/commands/<name>.ts` and registering it here. */
import { Registry } from '../core/registry.ts';
import type { Command } from './command.ts';
import { sampleCommand } from './sample.ts';
import { defaultCommand } from './default.ts';
import { listCommand } from './list.ts';
import { dataCommand } from './data.ts';
import { statsCommand } from './stats.ts';
import { fdCommand } from './fd.ts';
import { vbenchCommand } from './vbench.ts';
import { runCommand } from './run.ts';
import { mergeCommand } from './merge.ts';
import { validateCommand } from './validate.ts';
import { costCommand } from './cost.ts';
import { compareCommand } from './compare.ts';
import { reportCommand } from './report.ts';

export const commands = new Registry<Command>('command');
for (const c of [sampleCommand, defaultCommand, listCommand, dataCommand, vbenchCommand, statsCommand, fdCommand, runCommand, mergeCommand, validateCommand, costCommand, compareCommand, reportCommand]) commands.register(c.name, c, c.summary);

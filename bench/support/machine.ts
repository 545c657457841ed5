/**
 * What a bench ran on, for its header: throughput figures are only comparable on one processor.
 * Virtual machines often report a generic model name ("Intel(R) Xeon(R) Processor"), so the CPU
 * family, model and stepping from /proc/cpuinfo (Linux) are printed too: they tell processor
 * generations apart where the name does not.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** "Intel(R) Xeon(R) Processor (family 6 model 167 stepping 1), 2 cores, node v20.20.2, load average 0.8". */
export function machineLine(load = loadavg()[0]): string {
  const list = cpus();
  const name = list[0]?.model.trim() || 'unknown processor';
  let ids = '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (key: string) => new RegExp(`^${key}\\s*:\\s*(\\S+)`, 'm').exec(info)?.[1];
    const family = field('cpu family');
    const model = field('model');
    const stepping = field('stepping');
    if (family !== undefined && model !== undefined) ids = ` (family ${family} model ${model}${stepping !== undefined ? ` stepping ${stepping}` : ''})`;
  } catch {
    // Not Linux: the name is all there is.
  }
  return `${name}${ids}, ${list.length} cores, node ${process.version}, load average ${load.toFixed(1)}`;
}

import { cpus, freemem, totalmem, platform, release } from 'node:os';

/** The facts of the machine a figure was measured on, written next to every result. */
export function machineFacts() {
  const cores = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
  };
}

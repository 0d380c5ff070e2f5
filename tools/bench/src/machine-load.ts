/**
 * Who used the CPU during a measurement, and waiting for a quiet machine before one. Linux only (/proc).
 *
 * Cores are CPU-seconds per wall-second: 1.0 = one core busy for the whole interval.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Clock ticks per second of /proc times (`getconf CLK_TCK`; 100 on every Linux this runs on). */
const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  const probe = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(probe.stdout?.trim());
  return probe.status === 0 && Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** utime + stime of process `pid` (all its threads), in seconds; 0 when it is gone. */
export function processCpuSeconds(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5) are at 11 and 12 once pid, comm are dropped (state is at 0).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU time of the whole machine that was not idle (all cores), in seconds since boot. */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = ticks[3]! + ticks[4]!;
  const total = ticks.reduce((sum, t) => sum + t, 0);
  return (total - idle) / CLOCK_TICKS_PER_SECOND;
}

/** Cores used over one interval, by this process, by the server processes, and by everything else. */
export interface CpuUsage {
  /** This (the load-generating) process. */
  readonly clientCores: number;
  /** The processes given to {@link startCpuMeter}, summed. */
  readonly serverCores: number;
  /** The rest of the machine: other engineers' work, the kernel's softirq time not charged to us, … */
  readonly otherCores: number;
}

/** A running measurement; `stop()` returns the usage since the start. */
export interface CpuMeter {
  stop(): CpuUsage;
}

/** Starts measuring CPU use of this process, of `serverPids`, and of the whole machine. */
export function startCpuMeter(serverPids: readonly number[]): CpuMeter {
  const started = process.hrtime.bigint();
  const client0 = process.cpuUsage();
  const servers0 = serverPids.map(processCpuSeconds);
  const machine0 = machineBusySeconds();
  return {
    stop(): CpuUsage {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const client = process.cpuUsage(client0);
      const clientSeconds = (client.user + client.system) / 1e6;
      const serverSeconds = serverPids.reduce(
        (sum, pid, i) => sum + processCpuSeconds(pid) - servers0[i]!,
        0,
      );
      const machineSeconds = machineBusySeconds() - machine0;
      return {
        clientCores: clientSeconds / wall,
        serverCores: serverSeconds / wall,
        otherCores: Math.max(0, (machineSeconds - clientSeconds - serverSeconds) / wall),
      };
    },
  };
}

/** The 1-minute load average. */
export function loadAverage1m(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ', 1)[0]);
}

/** Options of {@link waitForLowLoad}. */
export interface WaitForLowLoadOptions {
  /** Wait until the 1-minute load average is below this. */
  readonly maxLoad: number;
  /** Give up after this long, in ms. */
  readonly timeoutMs: number;
  /** Time between checks, in ms. */
  readonly intervalMs: number;
  /** Called after each check that found the machine busy. */
  readonly onBusy?: (load: number, waitedMs: number) => void;
}

/**
 * Waits, bounded in time, until the 1-minute load average is below `maxLoad`.
 *
 * @returns the last load read, the time waited, and whether it was quiet (false: gave up at `timeoutMs`).
 */
export async function waitForLowLoad(
  options: WaitForLowLoadOptions,
): Promise<{ load: number; waitedMs: number; quiet: boolean }> {
  const started = Date.now();
  for (;;) {
    const load = loadAverage1m();
    const waitedMs = Date.now() - started;
    if (load < options.maxLoad) return { load, waitedMs, quiet: true };
    if (waitedMs + options.intervalMs > options.timeoutMs) return { load, waitedMs, quiet: false };
    options.onBusy?.(load, waitedMs);
    await delay(options.intervalMs);
  }
}

/**
 * Starts the built server (apps/server/dist/main.js) as a child process on
 * 127.0.0.1, waits for /readyz, and samples its memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { outDir, repoRoot, serverMain } from './paths.js';

export interface ServerHandle {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 from /readyz. */
  readyMs: number;
  /** Peak resident set (VmHWM) in MB since start or the last resetPeak(). */
  peakRssMb(): number;
  rssMb(): number;
  /** Resets VmHWM (Linux ≥ 4.0: write 5 to clear_refs) so a scenario measures its own peak. */
  resetPeak(): void;
  /** CPU time (user + system) the process has used, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const TICKS = 100;

export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

export interface StartOptions {
  label: string;
  port: number;
  env: Record<string, string>;
  /** Node flags for the server, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
  script?: string;
  timeoutMs?: number;
}

function status(pid: number, field: string): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number, started: bigint): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`server not ready after ${timeoutMs} ms`);
}

/** A busy port would let /readyz answer from another process, and the run would measure that one. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`port ${port} is in use (another run?); set BENCH_PORT to move the harness's ports`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

export async function startServer(opts: StartOptions): Promise<ServerHandle> {
  await assertPortFree(opts.port);
  mkdirSync(outDir, { recursive: true });
  const logFile = path.join(outDir, `server-${opts.label}.log`);
  const fd = openSync(logFile, 'a');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), opts.script ?? serverMain], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(opts.port), NODE_ENV: 'production', ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  const url = `http://127.0.0.1:${opts.port}`;
  let readyMs: number;
  try {
    readyMs = await waitReady(url, child, opts.timeoutMs ?? 120_000, started);
  } catch (err) {
    child.kill('SIGKILL');
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
    throw new Error(`${(err as Error).message} (log: ${logFile})\n${tail}`, { cause: err });
  }
  const pid = child.pid!;
  return {
    pid,
    url,
    readyMs,
    peakRssMb: () => status(pid, 'VmHWM'),
    rssMb: () => status(pid, 'VmRSS'),
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // not permitted here: the peak then covers the whole process life
      }
    },
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * In-process background runs of imports and undos: at most one run per
 * import in this process, each stoppable. Stopping (server shutdown) leaves
 * the import `interrupted` after its last committed batch, ready to resume.
 */
export interface RunSignal {
  stopped: boolean;
}

const active = new Map<string, { signal: RunSignal; done: Promise<void> }>();

export function isRunning(importId: string): boolean {
  return active.has(importId);
}

export function launch(importId: string, run: (signal: RunSignal) => Promise<void>, onError: (err: unknown) => void): boolean {
  if (active.has(importId)) return false;
  const signal: RunSignal = { stopped: false };
  const done = (async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await run(signal);
  })().catch(onError).finally(() => active.delete(importId));
  active.set(importId, { signal, done });
  return true;
}

/** Waits for a run that has already written its final status to let go of the import. */
export async function settle(importId: string): Promise<void> {
  await active.get(importId)?.done;
}

/** Asks one run to stop after its current batch, and waits for it. */
export async function stopRun(importId: string): Promise<void> {
  const run = active.get(importId);
  if (!run) return;
  run.signal.stopped = true;
  await run.done;
}

export async function stopAllRuns(): Promise<void> {
  await Promise.all([...active.keys()].map(stopRun));
}

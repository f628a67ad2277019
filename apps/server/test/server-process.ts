/**
 * The real server as a child process (src/main.ts run through tsx, so no
 * shared build output is written while other files run), on the engine under
 * test: PostgreSQL when the run has a TEST_DATABASE_URL, else an embedded
 * database in a data directory of the test's own. Crash suites kill it with
 * SIGKILL and start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  log(): string;
  /** SIGKILL: no shutdown hook runs, in-flight transactions are lost. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown, waited for. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((resolve) => proc.once('exit', () => resolve()));
}

export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const port = await freePort();
  let log = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(serverDir, 'src/main.ts')], {
    cwd: serverDir,
    env: { ...process.env, NODE_ENV: 'test', CHECK_RESPONSES: 'true', ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}): ${log}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not become ready: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    log: () => log,
    async kill() {
      proc.kill('SIGKILL');
      await exited(proc);
    },
    async stop() {
      proc.kill('SIGTERM');
      await exited(proc);
    },
  };
}

export interface ApiResult<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** One JSON (or text/csv) request; never throws on an HTTP status. */
export async function call<T = unknown>(base: string, method: string, url: string, opts: { token?: string; json?: unknown; csv?: string; headers?: Record<string, string> } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
  let body: string | undefined;
  if (opts.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = opts.csv;
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${base}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function signUpOver(base: string, label: string): Promise<{ token: string; tenantId: string; userId: string }> {
  const email = `${label}-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const res = await call<{ access_token: string; user: { id: string }; tenant: { tenant_id: string } }>(base, 'POST', '/api/v1/auth/sign-up', {
    json: { email, password: 'correct horse battery staple', name: `Owner ${label}`, firm_name: `Firm ${label} ${email}` },
  });
  if (res.status !== 201) throw new Error(`sign-up: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.access_token, tenantId: res.body.tenant.tenant_id, userId: res.body.user.id };
}

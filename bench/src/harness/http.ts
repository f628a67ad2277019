/** A minimal keep-alive HTTP client (node:http) so client overhead stays small and predictable. */
import http from 'node:http';

export interface Req {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class Client {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    public token: string | null = null,
    maxSockets = 1,
  ) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  headersFor(req: Req): Record<string, string> {
    const h: Record<string, string> = { ...(req.headers ?? {}) };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (req.body !== undefined && typeof req.body !== 'string') h['content-type'] = 'application/json';
    return h;
  }

  send(req: Req): Promise<Res> {
    const payload = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    return new Promise((resolve, reject) => {
      const r = http.request(
        { host: this.base.hostname, port: this.base.port, method: req.method ?? 'GET', path: req.path, headers: this.headersFor(req), agent: this.agent },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      if (payload !== undefined) r.end(payload);
      else r.end();
    });
  }

  async json<T>(req: Req, expect = [200]): Promise<{ res: Res; data: T }> {
    const res = await this.send(req);
    if (!expect.includes(res.status)) throw new Error(`${req.method ?? 'GET'} ${req.path} → ${res.status}: ${res.body.slice(0, 300)}`);
    return { res, data: (res.body ? JSON.parse(res.body) : null) as T };
  }

  close() {
    this.agent.destroy();
  }
}

/** True when the server has no such route (as opposed to a missing record). */
export function isMissingRoute(res: Res): boolean {
  return res.status === 404 && /No route for/.test(res.body);
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const c = new Client(url);
  try {
    const { data } = await c.json<{ access_token: string }>({ method: 'POST', path: '/api/v1/auth/sign-in', body: { email, password } });
    return data.access_token;
  } finally {
    c.close();
  }
}

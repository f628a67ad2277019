/** Runs the baseline server as its own process and measures its routes once per run. */
import path from 'node:path';
import { Client, type Req } from './http.js';
import { latency, throughputCannon, type Budget } from './measure.js';
import { benchDir } from './paths.js';
import { startServer, type ServerHandle } from './server.js';
import type { BaselineRoute, Measured } from '../scenarios/types.js';

export class Baseline {
  private server: ServerHandle | null = null;
  private readonly cache = new Map<BaselineRoute, NonNullable<Measured['baseline']>>();

  constructor(
    private readonly env: { databaseUrl: string; tenantId: string; port: number },
    private readonly budget: Budget,
    private readonly connections: number,
    private readonly seconds: number,
  ) {}

  async measure(route: BaselineRoute, make: (i: number) => Req): Promise<NonNullable<Measured['baseline']>> {
    const hit = this.cache.get(route);
    if (hit) return hit;
    this.server ??= await startServer({
      label: 'baseline',
      port: this.env.port,
      nodeFlags: ['--import', 'tsx'],
      script: path.join(benchDir, 'src/harness/baseline-server.ts'),
      env: { DATABASE_URL: this.env.databaseUrl, BASELINE_TENANT_ID: this.env.tenantId },
    });
    const client = new Client(this.server.url);
    try {
      const probe = await client.send(make(0));
      if (probe.status !== 200) throw new Error(`baseline ${make(0).path} → ${probe.status}`);
      const lat = await latency(client, make, this.budget);
      const throughput = await throughputCannon(this.server.url, null, make, this.connections, this.seconds);
      const result = { latency: lat, throughput, route: make(0).path.split('?')[0]! };
      this.cache.set(route, result);
      return result;
    } finally {
      client.close();
    }
  }

  async stop() {
    await this.server?.stop();
    this.server = null;
  }
}

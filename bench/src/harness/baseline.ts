/** Runs the baseline server as its own process; scenarios measure it in slices interleaved with the API's. */
import path from 'node:path';
import { Client, type Req } from './http.js';
import { latency, throughputCannon, type Budget, type Latency, type Throughput } from './measure.js';
import { benchDir } from './paths.js';
import { startServer, type ServerHandle } from './server.js';

export interface BaselineTarget {
  latency(budget: Budget): Promise<Latency>;
  throughput(seconds: number): Promise<Throughput>;
  cpuSeconds(): number;
}

export class Baseline {
  private server: ServerHandle | null = null;

  constructor(
    private readonly env: { databaseUrl: string; tenantId: string; port: number },
    private readonly connections: number,
  ) {}

  async target(make: (i: number) => Req): Promise<BaselineTarget> {
    this.server ??= await startServer({
      label: 'baseline',
      port: this.env.port,
      nodeFlags: ['--import', 'tsx'],
      script: path.join(benchDir, 'src/harness/baseline-server.ts'),
      env: { DATABASE_URL: this.env.databaseUrl, BASELINE_TENANT_ID: this.env.tenantId },
    });
    const url = this.server.url;
    const probe = new Client(url);
    try {
      const res = await probe.send(make(0));
      if (res.status !== 200) throw new Error(`baseline ${make(0).path} → ${res.status}`);
    } finally {
      probe.close();
    }
    return {
      latency: async (budget) => {
        const client = new Client(url);
        try {
          return await latency(client, make, budget);
        } finally {
          client.close();
        }
      },
      throughput: (seconds) => throughputCannon(url, null, make, this.connections, seconds),
      cpuSeconds: () => this.server!.cpuSeconds(),
    };
  }

  async stop() {
    await this.server?.stop();
    this.server = null;
  }
}

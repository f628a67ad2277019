import type { GenContext } from '../generate/rows.js';
import type { BaselineTarget } from '../harness/baseline.js';
import type { Client, Req } from '../harness/http.js';
import type { Budget, Latency, Throughput } from '../harness/measure.js';
import type { ServerHandle } from '../harness/server.js';

export type Engine = 'postgres' | 'embedded';

export interface Target {
  label: string;
  /** null when it could not be judged. */
  ok: boolean | null;
}

export interface Measured {
  latency?: Latency;
  throughput?: Throughput;
  baseline?: { latency: Latency; throughput: Throughput; route: string };
  ratio?: number;
  peakRssMb?: number;
  seconds?: number;
  /** Extra figures, e.g. per search term. */
  figures?: Record<string, string>;
  notes?: string[];
  targets?: Target[];
}

export interface ScenarioResult extends Measured {
  name: string;
  title: string;
  engine: Engine;
  status: 'ok' | 'not available' | 'error';
  at: string;
}

export interface RunContext {
  engine: Engine;
  /** The benchmark database on PostgreSQL (for clean-up outside the API); null when embedded. */
  databaseUrl: string | null;
  server: ServerHandle;
  /** Authenticated as the large tenant's owner, one keep-alive socket. */
  api: Client;
  token: string;
  g: GenContext;
  /** 'GET /api/v1/contacts/{id}' style keys from the server's OpenAPI document. */
  routes: Set<string>;
  budget: Budget;
  connections: number;
  seconds: number;
  /** The bare route for comparison; null when there is no baseline on this engine. */
  baseline(make: (i: number) => Req): Promise<BaselineTarget | null>;
  log(msg: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  engines: Engine[];
  /** Routes that must exist (method + OpenAPI path); otherwise "not available". */
  requires: string[];
  run(ctx: RunContext): Promise<Measured>;
}

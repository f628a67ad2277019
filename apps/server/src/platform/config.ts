import path from 'node:path';
import { z } from 'zod';

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: LogLevel.default('info'),
  JWT_SECRET: z.string().min(32).optional(),
  PUBLIC_URL: z.string().url().optional(),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL: z.coerce.number().int().min(300).default(30 * 86_400),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  CORS_ORIGINS: z.string().optional(),
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(20),
  RATE_LIMIT_AUTH_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  SECRETS_KEY: z.string().min(32).optional(),
  JOBS_IN_PROCESS: z.enum(['true', 'false']).default('true'),
  JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  JOBS_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_LIMIT: z.coerce.number().int().min(0).max(100).default(20),
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(60),
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).default(21_600),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(100),
  INBOUND_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  SSE_HEARTBEAT_SECONDS: z.coerce.number().min(1).max(300).default(15),
  CHECK_RESPONSES: z.enum(['true', 'false']).default('false'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize: number;
  logLevel: z.infer<typeof LogLevel>;
  jwtSecret: string | undefined;
  publicUrl: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  seedDemo: boolean;
  corsOrigins: string[];
  bodyLimit: number;
  rateLimit: { authPerIp: number; authPerAccount: number; windowSeconds: number };
  /** Key for secrets the server must read back (webhook signing secrets); derived from the JWT secret when unset. */
  secretsKey: string | undefined;
  jobs: { inProcess: boolean; pollSeconds: number; superviseSeconds: number; outboxPollMs: number };
  webhooks: {
    allowPrivate: boolean;
    timeoutMs: number;
    retryLimit: number;
    retryDelaySeconds: number;
    retryMaxDelaySeconds: number;
    disableAfterFailures: number;
  };
  inboundRatePerMinute: number;
  sseHeartbeatSeconds: number;
  /** Also encode every response with its Zod contract and compare (test suites; costs CPU). */
  checkResponses: boolean;
}

/** Reads configuration from the environment; a bad value stops the start with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    poolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    jwtSecret: e.JWT_SECRET,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    accessTokenTtl: e.ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    seedDemo: e.SEED_DEMO === 'true',
    corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((s) => s.trim()) : [],
    bodyLimit: e.BODY_LIMIT,
    rateLimit: {
      authPerIp: e.RATE_LIMIT_AUTH_PER_IP,
      authPerAccount: e.RATE_LIMIT_AUTH_PER_ACCOUNT,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
    },
    secretsKey: e.SECRETS_KEY,
    jobs: { inProcess: e.JOBS_IN_PROCESS === 'true', pollSeconds: e.JOBS_POLL_SECONDS, superviseSeconds: e.JOBS_SUPERVISE_SECONDS, outboxPollMs: e.OUTBOX_POLL_MS },
    webhooks: {
      allowPrivate: e.WEBHOOKS_ALLOW_PRIVATE === 'true',
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryLimit: e.WEBHOOK_RETRY_LIMIT,
      retryDelaySeconds: e.WEBHOOK_RETRY_DELAY_SECONDS,
      retryMaxDelaySeconds: e.WEBHOOK_RETRY_MAX_DELAY_SECONDS,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    inboundRatePerMinute: e.INBOUND_RATE_LIMIT_PER_MINUTE,
    sseHeartbeatSeconds: e.SSE_HEARTBEAT_SECONDS,
    checkResponses: e.CHECK_RESPONSES === 'true',
  };
}

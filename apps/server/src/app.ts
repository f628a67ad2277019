/**
 * buildApp(deps): platform plugins first (errors, security headers, auth,
 * idempotency, docs), then the feature modules, then the web app.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { uuidv7 } from 'uuidv7';
import { modules } from './modules/index.js';
import { adminRoutes } from './platform/auth/admin.routes.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { registerAuthentication, type RouteInfo } from './platform/auth/authenticate.js';
import type { AuthDeps } from './platform/auth/deps.js';
import { createRateLimits } from './platform/auth/rate-limit.js';
import { TokenSigner } from './platform/auth/tokens.js';
import { auditRoutes } from './platform/audit.routes.js';
import { createPlatformServices } from './platform/background.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/database.js';
import { registerHealth } from './platform/http/health.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { problem, registerProblemHandlers, sendProblem } from './platform/http/problem.js';
import { responseSerializer } from './platform/http/serializer.js';
import { registerWeb } from './platform/http/web.js';
import { jobsRoutes } from './platform/jobs/jobs.routes.js';
import type { Mailer } from './platform/mailer.js';
import { consoleMailer } from './platform/mailer.js';
import { streamRoutes } from './platform/realtime/stream.routes.js';
import { privacyRoutes } from './platform/privacy/privacy.routes.js';
import { tenantRoutes } from './platform/tenant.routes.js';

export interface AppDeps {
  config: Config;
  db: Database;
  jwtSecret: string;
  mailer?: Mailer;
  /** Set false in tests that do not need request logs. */
  logger?: boolean;
}

export interface App {
  server: FastifyInstance;
  routes: RouteInfo[];
  state: { draining: boolean };
}

/** One access-log line per request, when it completes (Fastify writes two: each is a synchronous write). */
class AccessLog extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, db } = deps;
  const server = Fastify({
    logger: deps.logger === false ? false : {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : uuidv7();
    },
    requestIdHeader: false,
    logController: new AccessLog(),
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    return503OnClosing: true,
    // Malformed URLs (bad percent-encoding) never reach the error handler: render them as problems too.
    frameworkErrors: (err, req, reply) => {
      void sendProblem(reply, { ...problem('bad_request', err.message), request_id: req.id });
    },
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(responseSerializer({ check: config.checkResponses }));
  server.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-request-id', req.id);
    return payload;
  });

  const state = { draining: false };
  const routes: RouteInfo[] = [];
  const signer = new TokenSigner(deps.jwtSecret, config.accessTokenTtl);
  const authDeps: AuthDeps = { db, config, signer, mailer: deps.mailer ?? consoleMailer(server.log), limits: createRateLimits(config) };
  createPlatformServices(server, { db, config, mailer: authDeps.mailer, jwtSecret: deps.jwtSecret });

  registerProblemHandlers(server);
  await server.register(fastifyHelmet, { contentSecurityPolicy: { directives: CSP }, crossOriginEmbedderPolicy: false });
  await server.register(fastifyCookie);
  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Pillar API', version: '1.0.0', description: 'Multi-tenant CRM. Errors are RFC 9457 problem+json.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Access token (JWT) or API key (pk_…)' } } },
    },
    transform: jsonSchemaTransform,
  });
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true, transformStaticCSP: (h) => h.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") });
  server.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => server.swagger());

  registerAuthentication(server, { db, signer }, routes);
  registerIdempotency(server);
  registerHealth(server, db, state);

  await server.register(async (api) => {
    await api.register(authRoutes, { prefix: '/auth', deps: authDeps });
    await api.register(adminRoutes, { deps: authDeps });
    await api.register(auditRoutes);
    await api.register(tenantRoutes);
    await api.register(privacyRoutes);
    await api.register(streamRoutes);
    await api.register(jobsRoutes);
    for (const mod of modules) await api.register(mod.plugin);
  }, { prefix: '/api/v1' });

  await registerWeb(server);
  return { server, routes, state };
}

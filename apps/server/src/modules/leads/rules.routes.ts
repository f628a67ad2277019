import {
  AssignmentRuleSchema, CreateAssignmentRuleSchema, CreateScoringRuleSchema, IdParamsSchema, ReorderAssignmentRulesSchema, ScoringRuleSchema,
  UpdateAssignmentRuleSchema, UpdateScoringRuleSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as assignment from './assignment.service.js';
import * as scoring from './scoring.service.js';

const security = [{ bearer: [] }];
const tags = ['leads'];
const read = { permission: 'records:read' as const };
const manage = { permission: 'rules:manage' as const };

/** Scoring and assignment rules: anyone who reads records may see them; rules:manage changes them. */
export const leadRulesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/lead-scoring-rules', { config: read, schema: { tags, security, summary: 'Lead scoring rules', response: { 200: pageOf(ScoringRuleSchema) } } },
    async (req) => ({ data: await scoring.listScoringRules(req.ctx), next_cursor: null }));
  app.post('/lead-scoring-rules', { config: manage, schema: { tags, security, summary: 'Add a scoring rule (re-scores every lead)', body: CreateScoringRuleSchema, response: { 201: ScoringRuleSchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await scoring.createScoringRule(req.ctx, req.body))));
  app.patch('/lead-scoring-rules/:id', { config: manage, schema: { tags, security, summary: 'Change a scoring rule (re-scores every lead)', params: IdParamsSchema, body: UpdateScoringRuleSchema, response: { 200: ScoringRuleSchema } } },
    async (req, reply) => withEtag(reply, await scoring.updateScoringRule(req.ctx, req.params.id, req.body, expectedVersion(req))));
  app.delete('/lead-scoring-rules/:id', { config: manage, schema: { tags, security, summary: 'Remove a scoring rule (re-scores every lead)', params: IdParamsSchema } },
    async (req, reply) => {
      await scoring.deleteScoringRule(req.ctx, req.params.id, expectedVersion(req));
      return reply.status(204).send();
    });

  app.get('/lead-assignment-rules', { config: read, schema: { tags, security, summary: 'Lead assignment rules, in the order they are tried', response: { 200: pageOf(AssignmentRuleSchema) } } },
    async (req) => ({ data: await assignment.listAssignmentRules(req.ctx), next_cursor: null }));
  app.post('/lead-assignment-rules', { config: manage, schema: { tags, security, summary: 'Add an assignment rule (tried last)', body: CreateAssignmentRuleSchema, response: { 201: AssignmentRuleSchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await assignment.createAssignmentRule(req.ctx, req.body))));
  app.patch('/lead-assignment-rules/:id', { config: manage, schema: { tags, security, summary: 'Change an assignment rule', params: IdParamsSchema, body: UpdateAssignmentRuleSchema, response: { 200: AssignmentRuleSchema } } },
    async (req, reply) => withEtag(reply, await assignment.updateAssignmentRule(req.ctx, req.params.id, req.body, expectedVersion(req))));
  app.delete('/lead-assignment-rules/:id', { config: manage, schema: { tags, security, summary: 'Remove an assignment rule', params: IdParamsSchema } },
    async (req, reply) => {
      await assignment.deleteAssignmentRule(req.ctx, req.params.id, expectedVersion(req));
      return reply.status(204).send();
    });
  app.put('/lead-assignment-rules/order', { config: manage, schema: { tags, security, summary: 'Set the order in which assignment rules are tried', body: ReorderAssignmentRulesSchema, response: { 200: pageOf(AssignmentRuleSchema) } } },
    async (req) => ({ data: await assignment.reorderAssignmentRules(req.ctx, req.body.rule_ids), next_cursor: null }));
};

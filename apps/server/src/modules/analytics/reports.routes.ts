import {
  ReportFilterSchemas, ReportNames, ReportQuerySchemas, ReportResponseSchemas, type ReportName, type ReportQuery,
} from '@pillar/shared';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csvFileName, reportToCsv } from './csv.js';
import { runReport } from './reports.service.js';

const security = [{ bearer: [] }];

const SUMMARIES: Record<ReportName, string> = {
  pipeline: 'Open deals per stage: count, value, weighted value, age, time in stage, stuck deals',
  forecast: 'Expected revenue by close period (commit / best case / pipeline) beside won revenue',
  conversion: 'Stage-to-stage conversion from stage history, and the lead → deal → won funnel',
  'win-loss': 'Won and lost deals, win rate, lost reasons and sales cycle, by owner and source',
  'lead-sources': 'Leads, conversions and won revenue per lead source',
  activities: 'Activities by type, person and period; completed, open, overdue; activities per won deal',
  income: 'Won revenue per period and per owner with growth against the previous period',
};

const DESCRIPTION =
  'Filters: pipeline_id, owner_id or team (comma-separated owner ids), from/to (local dates in the firm\'s time zone). ' +
  'Amounts are decimal strings in the firm\'s base currency; `rates_used` lists the exchange rates applied and ' +
  '`missing_rates` the amounts left out for want of a rate. `format=csv` (or the `.csv` path) answers a spreadsheet-safe CSV.';

function sendCsv(reply: FastifyReply, report: { report: string; generated_at: string } & Record<string, unknown>) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csvFileName(report.report, report.generated_at)}"`)
    .send(reportToCsv(report));
}

/** GET /reports/<name> (JSON, or CSV with format=csv) and GET /reports/<name>.csv for every report. */
export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const name of ReportNames) {
    const base = { tags: ['reports'], summary: SUMMARIES[name], description: DESCRIPTION, security };
    app.get(`/reports/${name}`, {
      config: { permission: 'reports:read' },
      schema: { ...base, querystring: ReportQuerySchemas[name], response: { 200: ReportResponseSchemas[name] } },
    }, async (req, reply) => {
      const query = req.query as ReportQuery<typeof name>;
      const report = await runReport(req.ctx, name, query);
      void reply.header('cache-control', 'private, no-store');
      return query.format === 'csv' ? sendCsv(reply, report) : report;
    });
    app.get(`/reports/${name}.csv`, {
      config: { permission: 'reports:read' },
      schema: { ...base, summary: `${SUMMARIES[name]} (CSV)`, querystring: ReportFilterSchemas[name], produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv') } },
    }, async (req, reply) => {
      const report = await runReport(req.ctx, name, { ...req.query, format: 'csv' });
      void reply.header('cache-control', 'private, no-store');
      return sendCsv(reply, report);
    });
  }
};

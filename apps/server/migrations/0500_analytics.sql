-- Analytics: exchange rates kept by each firm, personal dashboards, and the
-- covering indexes the sales reports read (index-only scans at 1M deals).
-- Security-critical: each table enables and forces row-level security here;
-- dashboards are additionally confined to the signed-in person.

CREATE TABLE exchange_rates (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- How many units of the firm's base currency one unit of `currency` is worth.
  rate numeric(24, 12) NOT NULL CHECK (rate > 0),
  effective_from date NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, currency, effective_from)
);

CREATE TABLE dashboards (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  widgets jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
);
-- At most one default dashboard per person (provisioning races settle here).
CREATE UNIQUE INDEX dashboards_default_idx ON dashboards (tenant_id, user_id) WHERE is_default;
CREATE INDEX dashboards_user_idx ON dashboards (tenant_id, user_id, created_at, id);

ALTER TABLE exchange_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE exchange_rates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON exchange_rates
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON exchange_rates TO pillar_app;

-- A dashboard is personal: visible and writable only by its owner, in its tenant.
ALTER TABLE dashboards ENABLE ROW LEVEL SECURITY;
ALTER TABLE dashboards FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_isolation ON dashboards
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
         AND user_id = nullif(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
              AND user_id = nullif(current_setting('app.user_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON dashboards TO pillar_app;

-- Report indexes. Each covers the columns its reports read, so a report over
-- a million deals is an index-only scan of the rows in scope.
-- Open deals per pipeline/stage (pipeline report, forecast).
CREATE INDEX deals_report_open_idx ON deals (tenant_id, pipeline_id, stage_id)
  INCLUDE (owner_id, currency, value, probability, created_at, stage_entered_at, expected_close_date)
  WHERE status = 'open' AND deleted_at IS NULL;
-- Open deals by expected close date (forecast over a window of months).
CREATE INDEX deals_report_forecast_idx ON deals (tenant_id, expected_close_date)
  INCLUDE (pipeline_id, stage_id, owner_id, currency, value, probability, tags)
  WHERE status = 'open' AND deleted_at IS NULL;
-- Closed deals by close time (win/loss, income, forecast's won revenue).
CREATE INDEX deals_report_closed_idx ON deals (tenant_id, closed_at)
  INCLUDE (status, pipeline_id, owner_id, currency, value, created_at, source, lost_reason)
  WHERE status IN ('won', 'lost') AND deleted_at IS NULL AND closed_at IS NOT NULL;
-- Stage moves by time (conversion, time in stage).
CREATE INDEX deal_stage_history_report_idx ON deal_stage_history (tenant_id, moved_at)
  INCLUDE (pipeline_id, from_stage_id, to_stage_id, deal_id, seconds_in_from_stage);
-- Activities by the date they count for (due date, else creation).
CREATE INDEX activities_report_idx ON activities (tenant_id, (coalesce(due_at, created_at)))
  INCLUDE (type, assignee_id, completed_at, due_at, deal_id)
  WHERE deleted_at IS NULL;

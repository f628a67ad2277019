-- Sales: board order, default pipeline, lead contact details, lead scoring and
-- assignment rules, and the indexes behind task lists and timelines.
-- Security-critical: the new tables enable and force row-level security here.

-- Board order: one card per position within a stage. Concurrent moves into
-- the same gap compute the same key; the loser retries against fresh neighbours.
CREATE UNIQUE INDEX deals_stage_position_unique ON deals (tenant_id, stage_id, position) WHERE deleted_at IS NULL;

-- At most one default pipeline per tenant, so creating it lazily is race-free.
CREATE UNIQUE INDEX pipelines_one_default ON pipelines (tenant_id) WHERE is_default;

-- A lead is often a person who is not a contact yet (web forms, lists).
ALTER TABLE leads
  ADD COLUMN first_name text,
  ADD COLUMN last_name text,
  ADD COLUMN email text,
  ADD COLUMN phone text,
  ADD COLUMN company_name text;
CREATE INDEX leads_email_idx ON leads (tenant_id, email, created_at DESC) WHERE email IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX leads_owner_idx ON leads (tenant_id, owner_id);

CREATE INDEX activities_overdue_idx ON activities (tenant_id, due_at, id) WHERE completed_at IS NULL AND deleted_at IS NULL;

CREATE TABLE lead_scoring_rules (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  points integer NOT NULL CHECK (points BETWEEN -1000 AND 1000),
  condition jsonb,                          -- a filter condition over lead fields (packages/shared filters.ts)
  activity_type text CHECK (activity_type IN ('call', 'email', 'meeting', 'task', 'note')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  CHECK ((condition IS NULL) <> (activity_type IS NULL))
);

CREATE TABLE lead_assignment_rules (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  position integer NOT NULL,
  active boolean NOT NULL DEFAULT true,
  sources text[] NOT NULL DEFAULT '{}',     -- lower case; empty = any source
  territories text[] NOT NULL DEFAULT '{}', -- lower case; empty = any territory
  user_ids uuid[] NOT NULL,                 -- checked against memberships on write and on use
  turns bigint NOT NULL DEFAULT 0,          -- round-robin counter; the row lock serialises turns
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  CHECK (cardinality(user_ids) BETWEEN 1 AND 100)
);
CREATE INDEX lead_assignment_rules_order_idx ON lead_assignment_rules (tenant_id, position, id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['lead_scoring_rules', 'lead_assignment_rules'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO pillar_app', t);
  END LOOP;
END $$;

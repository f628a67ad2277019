-- Core CRM records shared by several modules: companies, contacts, custom
-- field definitions, pipelines and stages, deals and their stage history,
-- leads, activities. Modules extend these tables in their own migrations.
-- Security-critical: each table enables and forces row-level security here.
--
-- Shared shape of a record: (tenant_id, id) primary key; references as
-- composite foreign keys so a row can never point into another tenant;
-- owner_id references a membership; tags text[]; custom jsonb (values of
-- per-tenant custom fields); version for optimistic concurrency; deleted_at
-- for the 30-day trash; import_id to undo an import.

CREATE TABLE companies (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  domain text,
  industry text,
  size text,
  website text,
  phone text,
  address jsonb NOT NULL DEFAULT '{}',
  description text,
  parent_id uuid,
  owner_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  import_id uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES companies (tenant_id, id) ON DELETE SET NULL (parent_id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (owner_id),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX companies_list_idx ON companies (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX companies_name_idx ON companies (tenant_id, lower(name), id) WHERE deleted_at IS NULL;
CREATE INDEX companies_domain_idx ON companies (tenant_id, domain) WHERE deleted_at IS NULL;
CREATE INDEX companies_parent_idx ON companies (tenant_id, parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX companies_owner_idx ON companies (tenant_id, owner_id);
CREATE INDEX companies_import_idx ON companies (tenant_id, import_id) WHERE import_id IS NOT NULL;

CREATE TABLE contacts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  email text,                                -- primary email, normalised (trimmed, lower case)
  emails jsonb NOT NULL DEFAULT '[]',        -- [{ "email", "label", "primary" }]
  phone text,                                -- primary phone, E.164 where it could be parsed
  phones jsonb NOT NULL DEFAULT '[]',        -- [{ "phone", "e164", "label", "primary" }]
  title text,
  department text,
  address jsonb NOT NULL DEFAULT '{}',
  social jsonb NOT NULL DEFAULT '{}',
  notes text,
  lead_source text,
  company_id uuid,
  owner_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  import_id uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE SET NULL (company_id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (owner_id)
);
CREATE UNIQUE INDEX contacts_email_unique ON contacts (tenant_id, email) WHERE email IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX contacts_list_idx ON contacts (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX contacts_name_idx ON contacts (tenant_id, lower(last_name), lower(first_name), id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_company_idx ON contacts (tenant_id, company_id) WHERE company_id IS NOT NULL;
CREATE INDEX contacts_owner_idx ON contacts (tenant_id, owner_id);
CREATE INDEX contacts_phone_idx ON contacts (tenant_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX contacts_import_idx ON contacts (tenant_id, import_id) WHERE import_id IS NOT NULL;

CREATE TABLE custom_field_definitions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  entity text NOT NULL CHECK (entity IN ('contact', 'company', 'lead', 'deal')),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  label text NOT NULL,
  type text NOT NULL CHECK (type IN ('text', 'long_text', 'number', 'currency', 'date', 'boolean', 'select',
                                      'multi_select', 'url', 'email', 'user')),
  options jsonb NOT NULL DEFAULT '[]',
  required boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, entity, key)
);

CREATE TABLE pipelines (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  position integer NOT NULL DEFAULT 0,
  is_default boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE stages (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  pipeline_id uuid NOT NULL,
  name text NOT NULL,
  position integer NOT NULL,
  probability integer NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
  kind text NOT NULL DEFAULT 'open' CHECK (kind IN ('open', 'won', 'lost')),
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX stages_pipeline_idx ON stages (tenant_id, pipeline_id, position);

CREATE TABLE leads (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  title text NOT NULL,
  contact_id uuid,
  company_id uuid,
  source text,
  territory text,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
  score integer NOT NULL DEFAULT 0,
  value numeric(18, 2),
  currency char(3),
  expected_close_date date,
  owner_id uuid,
  converted_at timestamptz,
  converted_deal_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  import_id uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE SET NULL (contact_id),
  FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE SET NULL (company_id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (owner_id)
);
CREATE INDEX leads_list_idx ON leads (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_status_idx ON leads (tenant_id, status, created_at);
CREATE INDEX leads_source_idx ON leads (tenant_id, source, created_at);
CREATE INDEX leads_contact_idx ON leads (tenant_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX leads_import_idx ON leads (tenant_id, import_id) WHERE import_id IS NOT NULL;

CREATE TABLE deals (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  value numeric(18, 2) NOT NULL DEFAULT 0 CHECK (value >= 0),
  currency char(3) NOT NULL DEFAULT 'USD',
  probability integer CHECK (probability BETWEEN 0 AND 100),  -- override; NULL = the stage's
  pipeline_id uuid NOT NULL,
  stage_id uuid NOT NULL,
  position text COLLATE "C" NOT NULL,       -- fractional index within the stage (board order)
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
  lost_reason text,
  expected_close_date date,
  closed_at timestamptz,
  stage_entered_at timestamptz NOT NULL DEFAULT now(),
  contact_id uuid,
  company_id uuid,
  lead_id uuid,
  source text,
  owner_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  custom jsonb NOT NULL DEFAULT '{}',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  import_id uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, pipeline_id) REFERENCES pipelines (tenant_id, id),
  FOREIGN KEY (tenant_id, stage_id) REFERENCES stages (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE SET NULL (contact_id),
  FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE SET NULL (company_id),
  FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE SET NULL (lead_id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (owner_id)
);
CREATE INDEX deals_list_idx ON deals (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX deals_board_idx ON deals (tenant_id, stage_id, position, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_pipeline_idx ON deals (tenant_id, pipeline_id, status, expected_close_date);
CREATE INDEX deals_contact_idx ON deals (tenant_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX deals_company_idx ON deals (tenant_id, company_id) WHERE company_id IS NOT NULL;
CREATE INDEX deals_owner_idx ON deals (tenant_id, owner_id, status);
CREATE INDEX deals_closed_idx ON deals (tenant_id, status, closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX deals_import_idx ON deals (tenant_id, import_id) WHERE import_id IS NOT NULL;

ALTER TABLE leads ADD FOREIGN KEY (tenant_id, converted_deal_id) REFERENCES deals (tenant_id, id) ON DELETE SET NULL (converted_deal_id);

CREATE TABLE deal_stage_history (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  deal_id uuid NOT NULL,
  pipeline_id uuid NOT NULL,
  from_stage_id uuid,                       -- NULL for the deal's first stage
  to_stage_id uuid NOT NULL,
  moved_by uuid,
  moved_at timestamptz NOT NULL DEFAULT now(),
  seconds_in_from_stage bigint,             -- time spent in from_stage before this move
  note text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, deal_id) REFERENCES deals (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, from_stage_id) REFERENCES stages (tenant_id, id),
  FOREIGN KEY (tenant_id, to_stage_id) REFERENCES stages (tenant_id, id)
);
CREATE INDEX deal_stage_history_deal_idx ON deal_stage_history (tenant_id, deal_id, moved_at);
CREATE INDEX deal_stage_history_stage_idx ON deal_stage_history (tenant_id, to_stage_id, moved_at);
CREATE INDEX deal_stage_history_from_idx ON deal_stage_history (tenant_id, from_stage_id, moved_at);

CREATE TABLE activities (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('call', 'email', 'meeting', 'task', 'note')),
  subject text NOT NULL,
  body text,
  body_format text NOT NULL DEFAULT 'text' CHECK (body_format IN ('text', 'html')),
  due_at timestamptz,
  ends_at timestamptz,
  completed_at timestamptz,
  assignee_id uuid,
  contact_id uuid,
  company_id uuid,
  lead_id uuid,
  deal_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, assignee_id) REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (assignee_id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, company_id) REFERENCES companies (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, deal_id) REFERENCES deals (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX activities_list_idx ON activities (tenant_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX activities_open_tasks_idx ON activities (tenant_id, assignee_id, due_at) WHERE completed_at IS NULL AND deleted_at IS NULL;
CREATE INDEX activities_contact_idx ON activities (tenant_id, contact_id, created_at) WHERE contact_id IS NOT NULL;
CREATE INDEX activities_company_idx ON activities (tenant_id, company_id, created_at) WHERE company_id IS NOT NULL;
CREATE INDEX activities_lead_idx ON activities (tenant_id, lead_id, created_at) WHERE lead_id IS NOT NULL;
CREATE INDEX activities_deal_idx ON activities (tenant_id, deal_id, created_at) WHERE deal_id IS NOT NULL;
CREATE INDEX activities_type_idx ON activities (tenant_id, type, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['companies', 'contacts', 'custom_field_definitions', 'pipelines', 'stages', 'leads',
                           'deals', 'deal_stage_history', 'activities'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO pillar_app', t);
  END LOOP;
END $$;
-- Stage history is a record of what happened: the request role appends and reads.
REVOKE UPDATE, DELETE ON deal_stage_history FROM pillar_app;

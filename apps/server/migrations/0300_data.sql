-- Data handling: saved views, CSV imports and the per-import snapshots that
-- let an import be undone. Security-critical: each table enables and forces
-- row-level security here, with the tenant policy and the grants.

CREATE TABLE saved_views (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  owner_id uuid NOT NULL,
  entity text NOT NULL CHECK (entity IN ('contacts', 'companies', 'leads', 'deals')),
  name text NOT NULL,
  filter jsonb,
  sort text,
  columns jsonb NOT NULL DEFAULT '[]',
  is_shared boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, owner_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE
);
CREATE INDEX saved_views_owner_idx ON saved_views (tenant_id, owner_id, entity, id);
CREATE INDEX saved_views_shared_idx ON saved_views (tenant_id, entity, id) WHERE is_shared;

-- One CSV import. `rows_processed` is the number of data records committed
-- so far (with the batch that wrote them), so a crashed import resumes after
-- exactly those records and never writes a row twice.
CREATE TABLE imports (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  entity text NOT NULL CHECK (entity IN ('contacts', 'companies', 'leads', 'deals')),
  status text NOT NULL DEFAULT 'uploaded'
    CHECK (status IN ('uploaded', 'queued', 'running', 'completed', 'failed', 'interrupted', 'undoing', 'undone')),
  file_name text,
  size_bytes bigint NOT NULL DEFAULT 0,
  delimiter text NOT NULL DEFAULT ',',
  headers jsonb NOT NULL DEFAULT '[]',
  mapping jsonb NOT NULL DEFAULT '[]',
  duplicate_policy text NOT NULL DEFAULT 'skip' CHECK (duplicate_policy IN ('skip', 'update', 'create')),
  rows_processed integer NOT NULL DEFAULT 0,
  last_line integer NOT NULL DEFAULT 1,
  bytes_processed bigint NOT NULL DEFAULT 0,
  created_count integer NOT NULL DEFAULT 0,
  updated_count integer NOT NULL DEFAULT 0,
  skipped_count integer NOT NULL DEFAULT 0,
  failed_count integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]',
  error text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES memberships (tenant_id, user_id) ON DELETE SET NULL (created_by)
);
CREATE INDEX imports_list_idx ON imports (tenant_id, id DESC);

-- The values an import overwrote (duplicate policy "update"), one row per
-- record, taken before its first change by that import; undo restores them.
CREATE TABLE import_snapshots (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  import_id uuid NOT NULL,
  record_id uuid NOT NULL,
  before jsonb NOT NULL,
  PRIMARY KEY (tenant_id, import_id, record_id),
  FOREIGN KEY (tenant_id, import_id) REFERENCES imports (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['saved_views', 'imports', 'import_snapshots'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
      USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO pillar_app', t);
  END LOOP;
END $$;

-- The trash list orders by deletion time across the four record types.
CREATE INDEX contacts_trash_idx ON contacts (tenant_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
CREATE INDEX companies_trash_idx ON companies (tenant_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
CREATE INDEX leads_trash_idx ON leads (tenant_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;
CREATE INDEX deals_trash_idx ON deals (tenant_id, deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;

-- Events, webhooks and inbound forms. Security-critical: every tenant table
-- below enables and forces row-level security with its policy right here.

-- Wake the outbox dispatcher when events commit (NOTIFY is delivered at COMMIT,
-- never for a rolled-back transaction; one per statement, deduplicated per transaction).
CREATE FUNCTION pillar_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pillar_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER events_outbox_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION pillar_outbox_notify();

-- Live-update fetches and Last-Event-ID resume read one tenant's events by seq.
CREATE INDEX events_tenant_seq_idx ON events (tenant_id, seq);

CREATE TABLE webhook_subscriptions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  url text NOT NULL,
  event_types text[] NOT NULL,
  description text,
  active boolean NOT NULL DEFAULT true,
  -- AES-256-GCM under the server's secrets key: the dispatcher must read it back to sign.
  secret_sealed text NOT NULL,
  secret_hint text NOT NULL,
  consecutive_failures integer NOT NULL DEFAULT 0,
  disabled_reason text,
  disabled_at timestamptz,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE webhook_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_subscriptions
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_subscriptions TO pillar_app;

CREATE TABLE webhook_deliveries (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  subscription_id uuid NOT NULL,
  -- The outbox event (no foreign key: the log outlives event retention). Pings carry their own body.
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  body jsonb,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'retrying', 'dead', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_latency_ms integer,
  last_error text,
  last_response_excerpt text,
  kind text NOT NULL DEFAULT 'event' CHECK (kind IN ('event', 'redelivery', 'replay', 'ping')),
  redelivery_of uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES webhook_subscriptions (tenant_id, id) ON DELETE CASCADE
);
-- One automatic delivery per subscription and event, so a re-dispatched batch does not double up.
CREATE UNIQUE INDEX webhook_deliveries_once_idx ON webhook_deliveries (tenant_id, subscription_id, event_id) WHERE kind = 'event';
CREATE INDEX webhook_deliveries_sub_idx ON webhook_deliveries (tenant_id, subscription_id, id DESC);
CREATE INDEX webhook_deliveries_open_idx ON webhook_deliveries (tenant_id, updated_at) WHERE status IN ('pending', 'retrying');
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO pillar_app;

CREATE TABLE webhook_attempts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  delivery_id uuid NOT NULL,
  attempt integer NOT NULL,
  status_code integer,
  latency_ms integer,
  error text,
  response_excerpt text,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (tenant_id, delivery_id, attempt);
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_attempts
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON webhook_attempts TO pillar_app;

CREATE TABLE inbound_endpoints (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL,
  lead_source text,
  token_hash text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE inbound_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbound_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON inbound_endpoints
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON inbound_endpoints TO pillar_app;

CREATE TABLE inbound_submissions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  endpoint_id uuid NOT NULL,
  email text,
  fields jsonb NOT NULL,
  status text NOT NULL DEFAULT 'stored' CHECK (status IN ('stored', 'lead_created', 'lead_updated', 'failed')),
  lead_id uuid,
  error text,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES inbound_endpoints (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX inbound_submissions_endpoint_idx ON inbound_submissions (tenant_id, endpoint_id, id DESC);
ALTER TABLE inbound_submissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbound_submissions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON inbound_submissions
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE ON inbound_submissions TO pillar_app;

-- Report rollups: exact, incrementally maintained summaries that the sales
-- reports read instead of scanning a million deals.
--
-- How they stay exact and fresh: every change to deals, stage history and
-- activities fires a trigger that appends signed delta rows (+1 for the new
-- image of a row, -1 for the old one) in the same transaction. A rollup table
-- therefore has no unique key — a report sums its rows per group — and the
-- writers never wait on one another's counters. A job folds the deltas into
-- one row per group every minute (report_compact), which changes no sum.
-- Changes that move every row at once (a firm's time zone or base currency,
-- an exchange rate) rebuild the affected rows from the source tables in the
-- same transaction (report_rebuild).
--
-- Buckets are local calendar months or days in the firm's time zone. A report
-- whose range starts or ends inside a month reads that month from the source
-- rows when the part outside the range holds any (see monthly-plan.ts).
--
-- Security-critical: the trigger functions are SECURITY DEFINER (they also run
-- for system jobs that have no tenant set) and write only rows of the tenant
-- of the row that changed. The tables enable and force row-level security;
-- the application role may only read them.

CREATE TABLE report_deals_open (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  pipeline_id uuid NOT NULL,
  stage_id uuid NOT NULL,
  owner_id uuid,
  currency char(3) NOT NULL,
  created_month date NOT NULL,
  n integer NOT NULL,
  amount numeric NOT NULL,
  weighted_override numeric NOT NULL,  -- sum of value × probability over deals with their own probability
  amount_default numeric NOT NULL,     -- sum of value over deals that take their stage's probability
  created_epoch numeric NOT NULL,      -- sum of creation instants (epoch seconds), for the average age
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_deals_open_idx ON report_deals_open (tenant_id, created_month);

CREATE TABLE report_deals_forecast (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  pipeline_id uuid NOT NULL,
  stage_id uuid NOT NULL,
  owner_id uuid,
  currency char(3) NOT NULL,
  close_month date,                    -- NULL: no expected close date
  band text NOT NULL,                  -- 'stage' (stage's probability) or the band of the deal's own probability
  commit_tag boolean NOT NULL,
  n integer NOT NULL,
  amount numeric NOT NULL,
  weighted_override numeric NOT NULL,
  amount_default numeric NOT NULL,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_deals_forecast_idx ON report_deals_forecast (tenant_id, close_month);

CREATE TABLE report_deals_closed (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  month date NOT NULL,                 -- local month of closed_at
  pipeline_id uuid NOT NULL,
  owner_id uuid,
  status text NOT NULL,
  source text,
  lost_reason text,
  currency char(3) NOT NULL,
  rate_day date,                       -- not in base currency: the day whose exchange rate converts it (report_rate_day)
  n integer NOT NULL,
  amount numeric NOT NULL,
  cycle_seconds numeric NOT NULL,      -- sum of closed_at - created_at
  activities integer NOT NULL,         -- live activities on these deals
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_deals_closed_idx ON report_deals_closed (tenant_id, month);

CREATE TABLE report_stage_moves (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  month date NOT NULL,                 -- local month of moved_at
  pipeline_id uuid NOT NULL,
  from_stage_id uuid,
  to_stage_id uuid NOT NULL,
  owner_id uuid,                       -- the deal's current owner
  n integer NOT NULL,
  seconds numeric NOT NULL,            -- sum of seconds_in_from_stage where known
  timed integer NOT NULL,              -- moves with seconds_in_from_stage
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_stage_moves_idx ON report_stage_moves (tenant_id, month);

CREATE TABLE report_activities (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  day date NOT NULL,                   -- local date of coalesce(due_at, created_at)
  type text NOT NULL,
  assignee_id uuid,
  pipeline_id uuid,                    -- the linked deal's pipeline
  total integer NOT NULL,
  completed integer NOT NULL,
  open_due integer NOT NULL,           -- not completed, with a due date
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_activities_idx ON report_activities (tenant_id, day);

CREATE TABLE report_leads (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_month date NOT NULL,         -- local month of the lead's creation
  source text,
  owner_id uuid,
  converted boolean NOT NULL,
  won_pipeline_id uuid,                -- set when the deal the lead became is won: that deal's pipeline,
  won_currency char(3),                -- its currency,
  won_rate_day date,                   -- and (not in base currency) the day whose exchange rate converts it
  n integer NOT NULL,
  won_amount numeric NOT NULL,
  compacted boolean NOT NULL DEFAULT false
);
CREATE INDEX report_leads_idx ON report_leads (tenant_id, created_month);
CREATE INDEX leads_converted_deal_idx ON leads (tenant_id, converted_deal_id) WHERE converted_deal_id IS NOT NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['report_deals_open', 'report_deals_forecast', 'report_deals_closed', 'report_stage_moves', 'report_activities',
                           'report_leads'] LOOP
    EXECUTE format('CREATE INDEX %I ON %I (tenant_id) WHERE NOT compacted', t || '_pending_idx', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I
                     USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format('GRANT SELECT ON %I TO pillar_app', t);
  END LOOP;
END $$;

-- Open deals recently moved into their stage (the pipeline report's "stuck" split).
CREATE INDEX deals_report_entered_idx ON deals (tenant_id, stage_entered_at)
  INCLUDE (pipeline_id, stage_id, owner_id, currency, value, created_at)
  WHERE status = 'open' AND deleted_at IS NULL;

-- ---------------------------------------------------------------- deltas

-- One deal's contribution, times sign; `acts` is added to the closed rollup's activity count.
CREATE FUNCTION report_deal_delta(d deals, sign integer, acts integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  tz text;
  base char(3);
  local_day date;
  rday date;
BEGIN
  IF d.deleted_at IS NOT NULL THEN RETURN; END IF;
  SELECT t.timezone, t.base_currency INTO tz, base FROM tenants t WHERE t.id = d.tenant_id;
  IF NOT FOUND THEN RETURN; END IF;  -- the firm itself is being deleted
  IF d.status = 'open' THEN
    IF sign = 0 THEN RETURN; END IF;
    INSERT INTO report_deals_open (tenant_id, pipeline_id, stage_id, owner_id, currency, created_month,
                                   n, amount, weighted_override, amount_default, created_epoch)
    VALUES (d.tenant_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency,
            date_trunc('month', d.created_at AT TIME ZONE tz)::date,
            sign, sign * d.value, sign * coalesce(d.value * d.probability, 0),
            CASE WHEN d.probability IS NULL THEN sign * d.value ELSE 0 END,
            sign * extract(epoch FROM d.created_at));
    INSERT INTO report_deals_forecast (tenant_id, pipeline_id, stage_id, owner_id, currency, close_month, band, commit_tag,
                                       n, amount, weighted_override, amount_default)
    VALUES (d.tenant_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency,
            date_trunc('month', d.expected_close_date)::date,
            CASE WHEN d.probability IS NULL THEN 'stage' WHEN d.probability >= 90 THEN 'commit'
                 WHEN d.probability >= 50 THEN 'best_case' ELSE 'pipeline' END,
            'commit' = ANY (d.tags),
            sign, sign * d.value, sign * coalesce(d.value * d.probability, 0),
            CASE WHEN d.probability IS NULL THEN sign * d.value ELSE 0 END);
  ELSIF d.closed_at IS NOT NULL THEN
    local_day := (d.closed_at AT TIME ZONE tz)::date;
    IF d.currency <> base THEN rday := report_rate_day(d.tenant_id, d.currency, local_day); END IF;
    INSERT INTO report_deals_closed (tenant_id, month, pipeline_id, owner_id, status, source, lost_reason, currency, rate_day,
                                     n, amount, cycle_seconds, activities)
    VALUES (d.tenant_id, date_trunc('month', local_day)::date, d.pipeline_id, d.owner_id, d.status, d.source, d.lost_reason,
            d.currency, rday, sign, sign * d.value, sign * extract(epoch FROM d.closed_at - d.created_at), acts);
  END IF;
END $$;

-- The stage moves of one deal, attributed to `owner`, times sign.
CREATE FUNCTION report_deal_moves_delta(tenant uuid, deal uuid, owner uuid, sign integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO report_stage_moves (tenant_id, month, pipeline_id, from_stage_id, to_stage_id, owner_id, n, seconds, timed)
  SELECT h.tenant_id, date_trunc('month', h.moved_at AT TIME ZONE t.timezone)::date, h.pipeline_id, h.from_stage_id, h.to_stage_id,
         owner, sign * count(*), sign * coalesce(sum(h.seconds_in_from_stage), 0), sign * count(h.seconds_in_from_stage)
    FROM deal_stage_history h JOIN tenants t ON t.id = h.tenant_id
   WHERE h.tenant_id = tenant AND h.deal_id = deal
   GROUP BY 1, 2, 3, 4, 5
$$;

-- The live activities of one deal, attributed to `pipeline`, times sign.
CREATE FUNCTION report_deal_activities_delta(tenant uuid, deal uuid, pipeline uuid, sign integer) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO report_activities (tenant_id, day, type, assignee_id, pipeline_id, total, completed, open_due)
  SELECT a.tenant_id, (coalesce(a.due_at, a.created_at) AT TIME ZONE t.timezone)::date, a.type, a.assignee_id, pipeline,
         sign * count(*), sign * count(a.completed_at), sign * count(*) FILTER (WHERE a.completed_at IS NULL AND a.due_at IS NOT NULL)
    FROM activities a JOIN tenants t ON t.id = a.tenant_id
   WHERE a.tenant_id = tenant AND a.deal_id = deal AND a.deleted_at IS NULL
   GROUP BY 1, 2, 3, 4
$$;

CREATE FUNCTION report_live_activities(tenant uuid, deal uuid) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT count(*)::int FROM activities a WHERE a.tenant_id = tenant AND a.deal_id = deal AND a.deleted_at IS NULL
$$;

-- One lead's contribution, times sign, given the deal it became (NULL: none, or that deal is being deleted).
CREATE FUNCTION report_lead_delta(l leads, d deals, sign integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  tz text;
  base char(3);
  won boolean;
  rday date;
BEGIN
  IF l.deleted_at IS NOT NULL THEN RETURN; END IF;
  SELECT t.timezone, t.base_currency INTO tz, base FROM tenants t WHERE t.id = l.tenant_id;
  IF NOT FOUND THEN RETURN; END IF;
  won := d.id IS NOT NULL AND d.status = 'won' AND d.closed_at IS NOT NULL AND d.deleted_at IS NULL;
  IF won AND d.currency <> base THEN
    rday := report_rate_day(d.tenant_id, d.currency, (d.closed_at AT TIME ZONE tz)::date);
  END IF;
  INSERT INTO report_leads (tenant_id, created_month, source, owner_id, converted, won_pipeline_id, won_currency, won_rate_day, n, won_amount)
  VALUES (l.tenant_id, date_trunc('month', l.created_at AT TIME ZONE tz)::date, l.source, l.owner_id,
          l.status = 'converted' OR l.converted_deal_id IS NOT NULL,
          CASE WHEN won THEN d.pipeline_id END, CASE WHEN won THEN d.currency END, rday,
          sign, CASE WHEN won THEN sign * d.value ELSE 0 END);
END $$;

-- The day whose rate converts an amount of `currency` on local date `day`: the
-- effective date of the rate then in force, else (no rate) the month's first day.
CREATE FUNCTION report_rate_day(tenant uuid, cur char(3), day date) RETURNS date
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(max(r.effective_from), date_trunc('month', day)::date) FROM exchange_rates r
   WHERE r.tenant_id = tenant AND r.currency = cur AND r.effective_from <= day
$$;

-- The leads that became deal `old_d`, moved from its old image to its new one (new_d NULL: it is being deleted).
CREATE FUNCTION report_deal_leads_delta(old_d deals, new_d deals) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  l leads;
BEGIN
  FOR l IN SELECT * FROM leads x WHERE x.tenant_id = old_d.tenant_id AND x.converted_deal_id = old_d.id LOOP
    PERFORM report_lead_delta(l, old_d, -1);
    PERFORM report_lead_delta(l, new_d, 1);
  END LOOP;
END $$;

CREATE FUNCTION report_leads_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  l leads;
  d deals;
  sign integer;
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.created_at, OLD.source, OLD.owner_id, OLD.status, OLD.converted_deal_id, OLD.deleted_at)
         IS NOT DISTINCT FROM (NEW.created_at, NEW.source, NEW.owner_id, NEW.status, NEW.converted_deal_id, NEW.deleted_at) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM tenants t WHERE t.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END FOR KEY SHARE;  -- see report_rebuild
  FOREACH sign IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[1] WHEN 'DELETE' THEN ARRAY[-1] ELSE ARRAY[-1, 1] END LOOP
    l := CASE WHEN sign < 0 THEN OLD ELSE NEW END;
    d := NULL;
    IF l.converted_deal_id IS NOT NULL THEN
      -- Not found while the deal is being deleted: its own trigger already moved this lead to "no deal".
      SELECT * INTO d FROM deals x WHERE x.tenant_id = l.tenant_id AND x.id = l.converted_deal_id;
    END IF;
    PERFORM report_lead_delta(l, d, sign);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER report_leads_write AFTER INSERT OR UPDATE OR DELETE ON leads FOR EACH ROW EXECUTE FUNCTION report_leads_changed();

CREATE FUNCTION report_deals_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  acts integer := 0;  -- the deal's live activities (none yet when it is new)
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.value, OLD.currency, OLD.probability, OLD.pipeline_id, OLD.stage_id, OLD.status, OLD.lost_reason,
          OLD.expected_close_date, OLD.closed_at, OLD.source, OLD.owner_id, 'commit' = ANY (OLD.tags), OLD.created_at, OLD.deleted_at)
         IS NOT DISTINCT FROM
         (NEW.value, NEW.currency, NEW.probability, NEW.pipeline_id, NEW.stage_id, NEW.status, NEW.lost_reason,
          NEW.expected_close_date, NEW.closed_at, NEW.source, NEW.owner_id, 'commit' = ANY (NEW.tags), NEW.created_at, NEW.deleted_at) THEN
    RETURN NULL;  -- a rename or a reorder within the stage moves no figure
  END IF;
  PERFORM 1 FROM tenants t WHERE t.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END FOR KEY SHARE;  -- see report_rebuild
  IF TG_OP <> 'INSERT' THEN acts := report_live_activities(OLD.tenant_id, OLD.id); END IF;
  IF TG_OP = 'DELETE' THEN
    -- BEFORE DELETE: the deal's history and activities are still there (they go by cascade afterwards,
    -- and their own triggers then skip rows whose deal is gone).
    PERFORM report_deal_delta(OLD, -1, -acts);
    PERFORM report_deal_moves_delta(OLD.tenant_id, OLD.id, OLD.owner_id, -1);
    PERFORM report_deal_activities_delta(OLD.tenant_id, OLD.id, OLD.pipeline_id, -1);
    PERFORM report_deal_leads_delta(OLD, NULL);
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM report_deal_delta(OLD, -1, -acts);
    PERFORM report_deal_leads_delta(OLD, NEW);
    IF OLD.owner_id IS DISTINCT FROM NEW.owner_id THEN
      PERFORM report_deal_moves_delta(OLD.tenant_id, OLD.id, OLD.owner_id, -1);
      PERFORM report_deal_moves_delta(NEW.tenant_id, NEW.id, NEW.owner_id, 1);
    END IF;
    IF OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id THEN
      PERFORM report_deal_activities_delta(OLD.tenant_id, OLD.id, OLD.pipeline_id, -1);
      PERFORM report_deal_activities_delta(NEW.tenant_id, NEW.id, NEW.pipeline_id, 1);
    END IF;
  END IF;
  PERFORM report_deal_delta(NEW, 1, acts);
  RETURN NULL;
END $$;

CREATE TRIGGER report_deals_delete BEFORE DELETE ON deals FOR EACH ROW EXECUTE FUNCTION report_deals_changed();
CREATE TRIGGER report_deals_write AFTER INSERT OR UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION report_deals_changed();

CREATE FUNCTION report_history_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  h deal_stage_history;
  sign integer;
  owner uuid;
  found_deal boolean;
BEGIN
  PERFORM 1 FROM tenants t WHERE t.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END FOR KEY SHARE;  -- see report_rebuild
  FOREACH sign IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[1] WHEN 'DELETE' THEN ARRAY[-1] ELSE ARRAY[-1, 1] END LOOP
    h := CASE WHEN sign < 0 THEN OLD ELSE NEW END;
    SELECT true, d.owner_id INTO found_deal, owner FROM deals d WHERE d.tenant_id = h.tenant_id AND d.id = h.deal_id;
    CONTINUE WHEN found_deal IS NULL;  -- the deal is being deleted; its own trigger took its moves out
    INSERT INTO report_stage_moves (tenant_id, month, pipeline_id, from_stage_id, to_stage_id, owner_id, n, seconds, timed)
    SELECT h.tenant_id, date_trunc('month', h.moved_at AT TIME ZONE t.timezone)::date, h.pipeline_id, h.from_stage_id,
           h.to_stage_id, owner, sign, sign * coalesce(h.seconds_in_from_stage, 0),
           CASE WHEN h.seconds_in_from_stage IS NULL THEN 0 ELSE sign END
      FROM tenants t WHERE t.id = h.tenant_id;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER report_history_write AFTER INSERT OR UPDATE OR DELETE ON deal_stage_history
  FOR EACH ROW EXECUTE FUNCTION report_history_changed();

CREATE FUNCTION report_activities_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  a activities;
  d deals;
  sign integer;
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.type, OLD.due_at, OLD.created_at, OLD.completed_at, OLD.assignee_id, OLD.deal_id, OLD.deleted_at)
         IS NOT DISTINCT FROM (NEW.type, NEW.due_at, NEW.created_at, NEW.completed_at, NEW.assignee_id, NEW.deal_id, NEW.deleted_at) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM tenants t WHERE t.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END FOR KEY SHARE;  -- see report_rebuild
  FOREACH sign IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[1] WHEN 'DELETE' THEN ARRAY[-1] ELSE ARRAY[-1, 1] END LOOP
    a := CASE WHEN sign < 0 THEN OLD ELSE NEW END;
    CONTINUE WHEN a.deleted_at IS NOT NULL;
    d := NULL;
    IF a.deal_id IS NOT NULL THEN
      SELECT * INTO d FROM deals x WHERE x.tenant_id = a.tenant_id AND x.id = a.deal_id;
      CONTINUE WHEN d.id IS NULL;  -- the deal is being deleted; its own trigger took its activities out
      IF d.status <> 'open' THEN PERFORM report_deal_delta(d, 0, sign); END IF;
    END IF;
    INSERT INTO report_activities (tenant_id, day, type, assignee_id, pipeline_id, total, completed, open_due)
    SELECT a.tenant_id, (coalesce(a.due_at, a.created_at) AT TIME ZONE t.timezone)::date, a.type, a.assignee_id, d.pipeline_id,
           sign, CASE WHEN a.completed_at IS NULL THEN 0 ELSE sign END,
           CASE WHEN a.completed_at IS NULL AND a.due_at IS NOT NULL THEN sign ELSE 0 END
      FROM tenants t WHERE t.id = a.tenant_id;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER report_activities_write AFTER INSERT OR UPDATE OR DELETE ON activities
  FOR EACH ROW EXECUTE FUNCTION report_activities_changed();

-- ---------------------------------------------------------------- rebuild and compaction

-- Recomputes one firm's rollups from the source rows. `closed_currency` limits
-- the work to the closed deals in that currency, from the month of
-- `closed_from` on (an exchange rate changed).
CREATE FUNCTION report_rebuild(tenant uuid, closed_currency text DEFAULT NULL, closed_from date DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  tz text;
  base char(3);
  from_month date;
BEGIN
  -- Writers read the firm's row FOR KEY SHARE before computing a bucket; this
  -- lock makes them wait until the rebuild commits (and the rebuild wait for them).
  SELECT t.timezone, t.base_currency INTO tz, base FROM tenants t WHERE t.id = tenant FOR UPDATE;
  IF NOT FOUND THEN RETURN; END IF;
  from_month := coalesce(date_trunc('month', closed_from)::date, '-infinity'::date);
  WITH gone AS (DELETE FROM report_deals_closed
                 WHERE tenant_id = tenant AND (closed_currency IS NULL OR currency = closed_currency) AND month >= from_month)
  INSERT INTO report_deals_closed (tenant_id, month, pipeline_id, owner_id, status, source, lost_reason, currency, rate_day,
                                   n, amount, cycle_seconds, activities, compacted)
  SELECT d.tenant_id, date_trunc('month', x.local_day)::date, d.pipeline_id, d.owner_id, d.status, d.source, d.lost_reason,
         d.currency, x.rate_day, count(*), sum(d.value), sum(extract(epoch FROM d.closed_at - d.created_at)),
         coalesce(sum(act.n), 0), true
    FROM deals d
    CROSS JOIN LATERAL (SELECT (d.closed_at AT TIME ZONE tz)::date AS local_day) l
    CROSS JOIN LATERAL (
      SELECT l.local_day, CASE WHEN d.currency <> base THEN report_rate_day(tenant, d.currency, l.local_day) END AS rate_day) x
    LEFT JOIN (SELECT a.deal_id, count(*) AS n FROM activities a
                WHERE a.tenant_id = tenant AND a.deal_id IS NOT NULL AND a.deleted_at IS NULL GROUP BY a.deal_id) act
           ON act.deal_id = d.id
   WHERE d.tenant_id = tenant AND d.status <> 'open' AND d.closed_at IS NOT NULL AND d.deleted_at IS NULL
     AND (closed_currency IS NULL OR d.currency = closed_currency)
     AND d.closed_at >= (from_month::timestamp AT TIME ZONE tz)
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

  WITH gone AS (DELETE FROM report_leads WHERE tenant_id = tenant AND (closed_currency IS NULL OR won_currency = closed_currency))
  INSERT INTO report_leads (tenant_id, created_month, source, owner_id, converted, won_pipeline_id, won_currency, won_rate_day,
                            n, won_amount, compacted)
  SELECT l.tenant_id, date_trunc('month', l.created_at AT TIME ZONE tz)::date, l.source, l.owner_id,
         l.status = 'converted' OR l.converted_deal_id IS NOT NULL, d.pipeline_id, d.currency,
         CASE WHEN d.currency <> base THEN report_rate_day(tenant, d.currency, (d.closed_at AT TIME ZONE tz)::date) END,
         count(*), coalesce(sum(d.value), 0), true
    FROM leads l
    LEFT JOIN deals d ON d.tenant_id = l.tenant_id AND d.id = l.converted_deal_id
                     AND d.status = 'won' AND d.closed_at IS NOT NULL AND d.deleted_at IS NULL
   WHERE l.tenant_id = tenant AND l.deleted_at IS NULL AND (closed_currency IS NULL OR d.currency = closed_currency)
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  IF closed_currency IS NOT NULL THEN RETURN; END IF;

  WITH gone AS (DELETE FROM report_deals_open WHERE tenant_id = tenant)
  INSERT INTO report_deals_open (tenant_id, pipeline_id, stage_id, owner_id, currency, created_month,
                                 n, amount, weighted_override, amount_default, created_epoch, compacted)
  SELECT d.tenant_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency, date_trunc('month', d.created_at AT TIME ZONE tz)::date,
         count(*), sum(d.value), coalesce(sum(d.value * d.probability), 0),
         coalesce(sum(d.value) FILTER (WHERE d.probability IS NULL), 0), sum(extract(epoch FROM d.created_at)), true
    FROM deals d WHERE d.tenant_id = tenant AND d.status = 'open' AND d.deleted_at IS NULL
   GROUP BY 1, 2, 3, 4, 5, 6;

  WITH gone AS (DELETE FROM report_deals_forecast WHERE tenant_id = tenant)
  INSERT INTO report_deals_forecast (tenant_id, pipeline_id, stage_id, owner_id, currency, close_month, band, commit_tag,
                                     n, amount, weighted_override, amount_default, compacted)
  SELECT d.tenant_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency, date_trunc('month', d.expected_close_date)::date,
         CASE WHEN d.probability IS NULL THEN 'stage' WHEN d.probability >= 90 THEN 'commit'
              WHEN d.probability >= 50 THEN 'best_case' ELSE 'pipeline' END,
         'commit' = ANY (d.tags), count(*), sum(d.value), coalesce(sum(d.value * d.probability), 0),
         coalesce(sum(d.value) FILTER (WHERE d.probability IS NULL), 0), true
    FROM deals d WHERE d.tenant_id = tenant AND d.status = 'open' AND d.deleted_at IS NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

  WITH gone AS (DELETE FROM report_stage_moves WHERE tenant_id = tenant)
  INSERT INTO report_stage_moves (tenant_id, month, pipeline_id, from_stage_id, to_stage_id, owner_id, n, seconds, timed, compacted)
  SELECT h.tenant_id, date_trunc('month', h.moved_at AT TIME ZONE tz)::date, h.pipeline_id, h.from_stage_id, h.to_stage_id,
         d.owner_id, count(*), coalesce(sum(h.seconds_in_from_stage), 0), count(h.seconds_in_from_stage), true
    FROM deal_stage_history h JOIN deals d ON d.tenant_id = h.tenant_id AND d.id = h.deal_id
   WHERE h.tenant_id = tenant
   GROUP BY 1, 2, 3, 4, 5, 6;

  WITH gone AS (DELETE FROM report_activities WHERE tenant_id = tenant)
  INSERT INTO report_activities (tenant_id, day, type, assignee_id, pipeline_id, total, completed, open_due, compacted)
  SELECT a.tenant_id, (coalesce(a.due_at, a.created_at) AT TIME ZONE tz)::date, a.type, a.assignee_id, d.pipeline_id,
         count(*), count(a.completed_at), count(*) FILTER (WHERE a.completed_at IS NULL AND a.due_at IS NOT NULL), true
    FROM activities a LEFT JOIN deals d ON d.tenant_id = a.tenant_id AND d.id = a.deal_id
   WHERE a.tenant_id = tenant AND a.deleted_at IS NULL
   GROUP BY 1, 2, 3, 4, 5;
END $$;

-- Folds one rollup's pending delta rows into one row per group (and drops
-- groups that no longer count anything). Sums are unchanged, so reports may
-- run at any time meanwhile. `keys` and `sums` name the table's columns.
CREATE FUNCTION report_fold(tbl text, keys text[], sums text[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  cols text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(keys) c);
  r_keys text := (SELECT string_agg('r.' || quote_ident(c), ', ') FROM unnest(keys) c);
  g_keys text := (SELECT string_agg('g.' || quote_ident(c), ', ') FROM unnest(keys) c);
  measures text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(sums) c);
  totals text := (SELECT string_agg(format('sum(%I)', c), ', ') FROM unnest(sums) c);
  nonzero text := (SELECT string_agg(format('sum(%I) <> 0', c), ' OR ') FROM unnest(sums) c);
  folded integer;
BEGIN
  EXECUTE format($f$
    WITH touched AS (SELECT DISTINCT tenant_id, %2$s FROM %1$I WHERE NOT compacted),
    gone AS (DELETE FROM %1$I r USING touched g
              WHERE r.tenant_id = g.tenant_id AND (%3$s) IS NOT DISTINCT FROM (%4$s)
             RETURNING r.*)
    INSERT INTO %1$I (tenant_id, %2$s, %5$s, compacted)
    SELECT tenant_id, %2$s, %6$s, true FROM gone GROUP BY tenant_id, %2$s HAVING %7$s$f$,
    tbl, cols, r_keys, g_keys, measures, totals, nonzero);
  GET DIAGNOSTICS folded = ROW_COUNT;
  RETURN folded;
END $$;

CREATE FUNCTION report_compact() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT report_fold('report_deals_open', ARRAY['pipeline_id', 'stage_id', 'owner_id', 'currency', 'created_month'],
                     ARRAY['n', 'amount', 'weighted_override', 'amount_default', 'created_epoch'])
       + report_fold('report_deals_forecast', ARRAY['pipeline_id', 'stage_id', 'owner_id', 'currency', 'close_month', 'band', 'commit_tag'],
                     ARRAY['n', 'amount', 'weighted_override', 'amount_default'])
       + report_fold('report_deals_closed', ARRAY['month', 'pipeline_id', 'owner_id', 'status', 'source', 'lost_reason', 'currency', 'rate_day'],
                     ARRAY['n', 'amount', 'cycle_seconds', 'activities'])
       + report_fold('report_stage_moves', ARRAY['month', 'pipeline_id', 'from_stage_id', 'to_stage_id', 'owner_id'],
                     ARRAY['n', 'seconds', 'timed'])
       + report_fold('report_activities', ARRAY['day', 'type', 'assignee_id', 'pipeline_id'], ARRAY['total', 'completed', 'open_due'])
       + report_fold('report_leads', ARRAY['created_month', 'source', 'owner_id', 'converted', 'won_pipeline_id', 'won_currency', 'won_rate_day'],
                     ARRAY['n', 'won_amount'])
$$;

-- A firm's time zone or base currency moves every bucket: rebuild.
CREATE FUNCTION report_tenant_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF (OLD.timezone, OLD.base_currency) IS DISTINCT FROM (NEW.timezone, NEW.base_currency) THEN
    PERFORM report_rebuild(NEW.id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER report_tenant_write AFTER UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION report_tenant_changed();

-- Which rate a closed deal converts at depends on the rates' effective dates:
-- rebuild that currency's closed deals from the earliest month affected. (A
-- new figure for an existing rate changes no bucket; reports apply it.)
CREATE FUNCTION report_rates_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.currency, OLD.effective_from) = (NEW.currency, NEW.effective_from) THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN PERFORM report_rebuild(OLD.tenant_id, OLD.currency, OLD.effective_from); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM report_rebuild(NEW.tenant_id, NEW.currency, NEW.effective_from); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER report_rates_write AFTER INSERT OR UPDATE OR DELETE ON exchange_rates
  FOR EACH ROW EXECUTE FUNCTION report_rates_changed();

-- Existing data.
SELECT report_rebuild(id) FROM tenants;

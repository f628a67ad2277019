-- The deal rollup trigger (0501) does less work per write; every sum it
-- produces is the same.
--
-- * The deal's live-activity count feeds only the closed-deals rollup: it is
--   counted only when the old or new image is a live closed deal (not on a
--   move between open stages).
-- * The leads that became the deal are re-attributed only when the old or new
--   image is won: otherwise their -1 and +1 rows are equal and cancel.
-- * An update from one live open image to another (a stage move, a new
--   value, owner or close date) writes each of the open and forecast rollups
--   with one two-row INSERT, after one read of the firm's time zone that also
--   takes the firm's row FOR KEY SHARE (see report_rebuild).

CREATE OR REPLACE FUNCTION report_deals_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  acts integer := 0;  -- the deal's live activities (counted only when a closed image needs them)
  tz text;
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.value, OLD.currency, OLD.probability, OLD.pipeline_id, OLD.stage_id, OLD.status, OLD.lost_reason,
          OLD.expected_close_date, OLD.closed_at, OLD.source, OLD.owner_id, 'commit' = ANY (OLD.tags), OLD.created_at, OLD.deleted_at)
         IS NOT DISTINCT FROM
         (NEW.value, NEW.currency, NEW.probability, NEW.pipeline_id, NEW.stage_id, NEW.status, NEW.lost_reason,
          NEW.expected_close_date, NEW.closed_at, NEW.source, NEW.owner_id, 'commit' = ANY (NEW.tags), NEW.created_at, NEW.deleted_at) THEN
    RETURN NULL;  -- a rename or a reorder within the stage moves no figure
  END IF;

  IF TG_OP = 'UPDATE' AND OLD.status = 'open' AND NEW.status = 'open' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NULL THEN
    SELECT t.timezone INTO tz FROM tenants t WHERE t.id = NEW.tenant_id FOR KEY SHARE;  -- see report_rebuild
    IF NOT FOUND THEN RETURN NULL; END IF;  -- the firm itself is being deleted
    INSERT INTO report_deals_open (tenant_id, pipeline_id, stage_id, owner_id, currency, created_month,
                                   n, amount, weighted_override, amount_default, created_epoch)
    SELECT (v.d).tenant_id, (v.d).pipeline_id, (v.d).stage_id, (v.d).owner_id, (v.d).currency,
           date_trunc('month', (v.d).created_at AT TIME ZONE tz)::date,
           v.sign, v.sign * (v.d).value, v.sign * coalesce((v.d).value * (v.d).probability, 0),
           CASE WHEN (v.d).probability IS NULL THEN v.sign * (v.d).value ELSE 0 END,
           v.sign * extract(epoch FROM (v.d).created_at)
      FROM (VALUES (OLD, -1), (NEW, 1)) AS v (d, sign);
    INSERT INTO report_deals_forecast (tenant_id, pipeline_id, stage_id, owner_id, currency, close_month, band, commit_tag,
                                       n, amount, weighted_override, amount_default)
    SELECT (v.d).tenant_id, (v.d).pipeline_id, (v.d).stage_id, (v.d).owner_id, (v.d).currency,
           date_trunc('month', (v.d).expected_close_date)::date,
           CASE WHEN (v.d).probability IS NULL THEN 'stage' WHEN (v.d).probability >= 90 THEN 'commit'
                WHEN (v.d).probability >= 50 THEN 'best_case' ELSE 'pipeline' END,
           'commit' = ANY ((v.d).tags),
           v.sign, v.sign * (v.d).value, v.sign * coalesce((v.d).value * (v.d).probability, 0),
           CASE WHEN (v.d).probability IS NULL THEN v.sign * (v.d).value ELSE 0 END
      FROM (VALUES (OLD, -1), (NEW, 1)) AS v (d, sign);
    IF OLD.owner_id IS DISTINCT FROM NEW.owner_id THEN
      PERFORM report_deal_moves_delta(OLD.tenant_id, OLD.id, OLD.owner_id, -1);
      PERFORM report_deal_moves_delta(NEW.tenant_id, NEW.id, NEW.owner_id, 1);
    END IF;
    IF OLD.pipeline_id IS DISTINCT FROM NEW.pipeline_id THEN
      PERFORM report_deal_activities_delta(OLD.tenant_id, OLD.id, OLD.pipeline_id, -1);
      PERFORM report_deal_activities_delta(NEW.tenant_id, NEW.id, NEW.pipeline_id, 1);
    END IF;
    RETURN NULL;  -- neither image is won: the converted leads' rows would cancel
  END IF;

  PERFORM 1 FROM tenants t WHERE t.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END FOR KEY SHARE;  -- see report_rebuild
  IF TG_OP <> 'INSERT'
     AND ((OLD.status <> 'open' AND OLD.closed_at IS NOT NULL AND OLD.deleted_at IS NULL)
          OR (TG_OP = 'UPDATE' AND NEW.status <> 'open' AND NEW.closed_at IS NOT NULL AND NEW.deleted_at IS NULL)) THEN
    acts := report_live_activities(OLD.tenant_id, OLD.id);
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- BEFORE DELETE: the deal's history and activities are still there (they go by cascade afterwards,
    -- and their own triggers then skip rows whose deal is gone).
    PERFORM report_deal_delta(OLD, -1, -acts);
    PERFORM report_deal_moves_delta(OLD.tenant_id, OLD.id, OLD.owner_id, -1);
    PERFORM report_deal_activities_delta(OLD.tenant_id, OLD.id, OLD.pipeline_id, -1);
    IF OLD.status = 'won' THEN PERFORM report_deal_leads_delta(OLD, NULL); END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM report_deal_delta(OLD, -1, -acts);
    IF OLD.status = 'won' OR NEW.status = 'won' THEN PERFORM report_deal_leads_delta(OLD, NEW); END IF;
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

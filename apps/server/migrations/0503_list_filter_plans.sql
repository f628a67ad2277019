-- Filtered and custom-sorted list views: statistics the planner needs.
--
-- List filters compare text case-insensitively (`lower(col) = lower($n)`,
-- list-sql.ts), on built-in columns and on custom fields
-- (`lower((custom->>'k'))`). PostgreSQL keeps no statistics on such
-- expressions (the per-tenant cf_* indexes are partial, and the planner
-- ignores the statistics of partial indexes), so it assumed 0.5% of the rows
-- for every such condition: a view filtered on two of them was estimated at
-- 10 rows of the 1M-row tenant where 41,000 matched, and the planner read the
-- whole table and sorted it instead of walking the sort index (parallel seq
-- scan of 129k pages, ~700 ms quiet) — measured on the benchmark's contacts
-- view. With the statistics it estimates 41,813 and walks the custom-field
-- sort index backwards (1,044 buffers, 1.5 ms warm).
--
-- Expression statistics (one object per expression, table-wide) fix the
-- estimates. Only expressions that cannot fail on any row are given
-- statistics: ANALYZE evaluates them on every sampled row of every tenant,
-- and another tenant's value under the same custom key may not cast to this
-- tenant's type (so number, currency and boolean fields get none).

-- Built-in text fields filtered by value (eq / in).
CREATE STATISTICS IF NOT EXISTS contacts_lower_lead_source_stx ON (lower(lead_source)) FROM contacts;
CREATE STATISTICS IF NOT EXISTS contacts_lower_title_stx ON (lower(title)) FROM contacts;
CREATE STATISTICS IF NOT EXISTS contacts_lower_department_stx ON (lower(department)) FROM contacts;
CREATE STATISTICS IF NOT EXISTS contacts_lower_city_stx ON (lower(address->>'city')) FROM contacts;
CREATE STATISTICS IF NOT EXISTS contacts_lower_region_stx ON (lower(address->>'region')) FROM contacts;
CREATE STATISTICS IF NOT EXISTS contacts_lower_country_stx ON (lower(address->>'country')) FROM contacts;
CREATE STATISTICS IF NOT EXISTS companies_lower_industry_stx ON (lower(industry)) FROM companies;
CREATE STATISTICS IF NOT EXISTS companies_lower_city_stx ON (lower(address->>'city')) FROM companies;
CREATE STATISTICS IF NOT EXISTS companies_lower_region_stx ON (lower(address->>'region')) FROM companies;
CREATE STATISTICS IF NOT EXISTS companies_lower_country_stx ON (lower(address->>'country')) FROM companies;
CREATE STATISTICS IF NOT EXISTS leads_lower_source_stx ON (lower(source)) FROM leads;
CREATE STATISTICS IF NOT EXISTS leads_lower_territory_stx ON (lower(territory)) FROM leads;
CREATE STATISTICS IF NOT EXISTS deals_lower_source_stx ON (lower(source)) FROM deals;
CREATE STATISTICS IF NOT EXISTS deals_lower_lost_reason_stx ON (lower(lost_reason)) FROM deals;

-- Custom fields: as in 0100 (same signature, grants and rules), and text
-- fields (text, select, url, email: `lower((custom->>'k'))`; user, compared
-- exactly: `(custom->>'k')`) also get a statistics object on the expression
-- their filters compare. The object is shared by every tenant using that key
-- on that table (like the expression itself); when it is new the table is
-- analysed once so the planner can use it at once (sampled: ~1.7 s on 2M
-- contacts, less than the index build that follows).
-- Security-critical: SECURITY DEFINER, tenant from app.tenant_id (see 0100).
CREATE OR REPLACE FUNCTION crm_ensure_custom_field_index(entity text, field_key text, field_type text, expr text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  t uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  tbl text := CASE entity WHEN 'contact' THEN 'contacts' WHEN 'company' THEN 'companies'
                          WHEN 'lead' THEN 'leads' WHEN 'deal' THEN 'deals' END;
  v text := format('(custom->>%L)', field_key);
  expected text;
  index_name text;
  filtered text;
  stats_name text;
BEGIN
  IF t IS NULL OR tbl IS NULL OR field_key !~ '^[a-z][a-z0-9_]{0,62}$' THEN RAISE EXCEPTION 'invalid custom field'; END IF;
  expected := CASE field_type
    WHEN 'number' THEN format('coalesce((%s::numeric), ''-Infinity''::numeric)', v)
    WHEN 'currency' THEN format('coalesce((%s::numeric), ''-Infinity''::numeric)', v)
    WHEN 'boolean' THEN format('coalesce((%s::boolean), false)', v)
    WHEN 'user' THEN format('coalesce(%s, '''')', v)
    WHEN 'text' THEN format('coalesce(lower(%s), '''')', v)
    WHEN 'select' THEN format('coalesce(lower(%s), '''')', v)
    WHEN 'url' THEN format('coalesce(lower(%s), '''')', v)
    WHEN 'email' THEN format('coalesce(lower(%s), '''')', v)
  END;
  IF expected IS NULL THEN RETURN false; END IF;
  IF expr IS DISTINCT FROM expected THEN RAISE EXCEPTION 'unexpected sort expression for custom field %', field_key; END IF;
  filtered := CASE WHEN field_type = 'user' THEN v WHEN field_type IN ('text', 'select', 'url', 'email') THEN format('lower(%s)', v) END;
  IF filtered IS NOT NULL THEN
    stats_name := 'cfs_' || tbl || '_' || left(md5(filtered), 24);
    -- The name is shared by tenants: two creating the same key at once would
    -- both find it missing. The second waits here for the first to commit.
    PERFORM pg_advisory_xact_lock(hashtext(stats_name));
    IF NOT EXISTS (SELECT 1 FROM pg_statistic_ext WHERE stxname = stats_name) THEN
      EXECUTE format('CREATE STATISTICS %I ON (%s) FROM %I', stats_name, filtered, tbl);
      EXECUTE format('ANALYZE %I', tbl);
    END IF;
  END IF;
  index_name := 'cf_' || tbl || '_' || left(md5(t::text || expected), 24);
  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = index_name AND relkind = 'i') THEN RETURN true; END IF;
  IF (SELECT count(*) FROM pg_indexes WHERE tablename = tbl AND indexname LIKE 'cf\_%' AND indexdef LIKE '%' || t::text || '%') >= 30 THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE INDEX %I ON %I (tenant_id, (%s), id) WHERE deleted_at IS NULL AND tenant_id = %L::uuid',
                 index_name, tbl, expected, t);
  RETURN true;
END $$;

-- The same statistics for the text fields defined before this migration.
DO $$
DECLARE
  d record;
  v text;
  filtered text;
BEGIN
  FOR d IN SELECT DISTINCT
             CASE entity WHEN 'contact' THEN 'contacts' WHEN 'company' THEN 'companies'
                         WHEN 'lead' THEN 'leads' WHEN 'deal' THEN 'deals' END AS tbl,
             key, type
           FROM custom_field_definitions
          WHERE type IN ('user', 'text', 'select', 'url', 'email') AND key ~ '^[a-z][a-z0-9_]{0,62}$'
  LOOP
    CONTINUE WHEN d.tbl IS NULL;
    v := format('(custom->>%L)', d.key);
    filtered := CASE WHEN d.type = 'user' THEN v ELSE format('lower(%s)', v) END;
    EXECUTE format('CREATE STATISTICS IF NOT EXISTS %I ON (%s) FROM %I', 'cfs_' || d.tbl || '_' || left(md5(filtered), 24), filtered, d.tbl);
  END LOOP;
END $$;

ANALYZE contacts;
ANALYZE companies;
ANALYZE leads;
ANALYZE deals;

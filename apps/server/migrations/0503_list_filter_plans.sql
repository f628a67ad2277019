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

-- Custom fields: text fields (text, select, url, email: `lower((custom->>'k'))`;
-- user, compared exactly: `(custom->>'k')`) get a statistics object on the
-- expression their filters compare, shared by every tenant using that key on
-- that table (like the expression itself). Created by a scheduled job
-- (`records.custom-field-statistics`), not when the field is defined: CREATE
-- STATISTICS and ANALYZE take a SHARE UPDATE EXCLUSIVE lock, which a request
-- transaction would hold until it commits, next to the SHARE lock of the
-- field's index build, and two such transactions (or one and an import
-- writing companies then contacts) could deadlock. The job creates the missing
-- objects, one table per transaction, and analyses the tables that got one.
-- Runs on the unrestricted path only (no grant to the request role).
CREATE OR REPLACE FUNCTION crm_refresh_custom_field_statistics(only_table text)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  d record;
  filtered text;
  stats_name text;
  created integer := 0;
BEGIN
  FOR d IN SELECT DISTINCT key, type FROM custom_field_definitions
            WHERE entity = CASE only_table WHEN 'contacts' THEN 'contact' WHEN 'companies' THEN 'company'
                                           WHEN 'leads' THEN 'lead' WHEN 'deals' THEN 'deal' END
              AND type IN ('user', 'text', 'select', 'url', 'email') AND key ~ '^[a-z][a-z0-9_]{0,62}$'
  LOOP
    filtered := CASE WHEN d.type = 'user' THEN format('(custom->>%L)', d.key) ELSE format('lower((custom->>%L))', d.key) END;
    stats_name := 'cfs_' || only_table || '_' || left(md5(filtered), 24);
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_statistic_ext WHERE stxname = stats_name);
    EXECUTE format('CREATE STATISTICS %I ON (%s) FROM %I', stats_name, filtered, only_table);
    created := created + 1;
  END LOOP;
  IF created > 0 THEN EXECUTE format('ANALYZE %I', only_table); END IF;
  RETURN created;
END $$;
REVOKE ALL ON FUNCTION crm_refresh_custom_field_statistics(text) FROM PUBLIC;

-- The fields defined before this migration.
SELECT crm_refresh_custom_field_statistics(x) FROM (VALUES ('contacts'), ('companies'), ('leads'), ('deals')) AS v (x);

ANALYZE contacts;
ANALYZE companies;
ANALYZE leads;
ANALYZE deals;

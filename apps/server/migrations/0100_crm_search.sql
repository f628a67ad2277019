-- CRM search, tags and custom-field sort indexes.
-- Security-critical: the functions below are SECURITY DEFINER (they run as the
-- migrator, which bypasses row-level security) so that trigram and prefix
-- searches can use composite (tenant_id, …) indexes — PostgreSQL applies RLS
-- policies before non-leakproof operators such as LIKE and %, which turns an
-- indexed search into a scan of the whole tenant. Each function therefore
-- confines itself to the tenant in `app.tenant_id` (the setting withTenant
-- makes) and returns nothing when it is unset; it returns only ids and scores,
-- and callers read the rows themselves under RLS.

-- Prefix paths (ordered btree scans that stop at LIMIT). COLLATE "C" makes
-- `LIKE 'abc%'` an index range whatever the database collation is.
CREATE INDEX contacts_search_name_idx ON contacts (tenant_id, (lower(first_name || ' ' || last_name) COLLATE "C"))
  WHERE deleted_at IS NULL;
CREATE INDEX contacts_search_last_idx ON contacts (tenant_id, (lower(last_name) COLLATE "C")) WHERE deleted_at IS NULL;
CREATE INDEX contacts_search_email_idx ON contacts (tenant_id, (email COLLATE "C")) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX companies_search_name_idx ON companies (tenant_id, (lower(name) COLLATE "C")) WHERE deleted_at IS NULL;
CREATE INDEX companies_search_domain_idx ON companies (tenant_id, (domain COLLATE "C")) WHERE deleted_at IS NULL AND domain IS NOT NULL;
CREATE INDEX leads_search_title_idx ON leads (tenant_id, (lower(title) COLLATE "C")) WHERE deleted_at IS NULL;
CREATE INDEX deals_search_name_idx ON deals (tenant_id, (lower(name) COLLATE "C")) WHERE deleted_at IS NULL;

-- Fragment and typo-tolerant paths: one trigram document per record.
CREATE INDEX contacts_search_trgm_idx ON contacts USING gin (tenant_id,
  (lower(first_name || ' ' || last_name || ' ' || coalesce(email, '') || ' ' || coalesce(phone, ''))) gin_trgm_ops)
  WHERE deleted_at IS NULL;
CREATE INDEX companies_search_trgm_idx ON companies USING gin (tenant_id,
  (lower(name || ' ' || coalesce(domain, '') || ' ' || coalesce(phone, ''))) gin_trgm_ops)
  WHERE deleted_at IS NULL;
CREATE INDEX leads_search_trgm_idx ON leads USING gin (tenant_id, (lower(title)) gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX deals_search_trgm_idx ON deals USING gin (tenant_id, (lower(name)) gin_trgm_ops) WHERE deleted_at IS NULL;

-- Tags: filters `has_any`/`has_all` and tag rename/delete.
CREATE INDEX contacts_tags_idx ON contacts USING gin (tenant_id, tags) WHERE deleted_at IS NULL;
CREATE INDEX companies_tags_idx ON companies USING gin (tenant_id, tags) WHERE deleted_at IS NULL;
-- Duplicate suggestions and merges.
CREATE INDEX companies_phone_idx ON companies (tenant_id, phone) WHERE phone IS NOT NULL AND deleted_at IS NULL;

-- Normalises a search term: lower case, single spaces, no surrounding blanks.
CREATE FUNCTION crm_search_term(q text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(btrim(regexp_replace(coalesce(q, ''), '\s+', ' ', 'g'))) $$;

-- A LIKE pattern matching `term` literally.
CREATE FUNCTION crm_like_escape(term text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') $$;

-- Contacts: full-name, last-name and email prefixes first (scores 0.9–1);
-- when those give fewer than `max_rows`, fragments and typos by trigram
-- (score 0.8 × word similarity), ranked among at most 2000 candidates.
CREATE FUNCTION crm_search_contacts(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
#variable_conflict use_column
DECLARE
  t uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  term text := crm_search_term(q);
  lim integer := least(greatest(coalesce(max_rows, 20), 1), 1000);
  prefix text := crm_like_escape(crm_search_term(q)) || '%';
  digits text := regexp_replace(crm_search_term(q), '[^0-9]', '', 'g');
  infix text;
  ids uuid[];
  scores numeric[];
BEGIN
  IF t IS NULL OR term = '' THEN RETURN; END IF;
  SELECT coalesce(array_agg(r.id ORDER BY r.s DESC, r.id), '{}'), coalesce(array_agg(r.s ORDER BY r.s DESC, r.id), '{}')
    INTO ids, scores
    FROM (SELECT h.id, max(h.s) AS s FROM (
      (SELECT c.id, 1.0 AS s FROM contacts c
        WHERE c.tenant_id = t AND c.deleted_at IS NULL AND (lower(c.first_name || ' ' || c.last_name) COLLATE "C") LIKE prefix
        ORDER BY (lower(c.first_name || ' ' || c.last_name) COLLATE "C") LIMIT lim)
      UNION ALL
      (SELECT c.id, 0.95 FROM contacts c
        WHERE c.tenant_id = t AND c.deleted_at IS NULL AND c.email IS NOT NULL AND (c.email COLLATE "C") LIKE prefix
        ORDER BY (c.email COLLATE "C") LIMIT lim)
      UNION ALL
      (SELECT c.id, 0.9 FROM contacts c
        WHERE c.tenant_id = t AND c.deleted_at IS NULL AND (lower(c.last_name) COLLATE "C") LIKE prefix
        ORDER BY (lower(c.last_name) COLLATE "C") LIMIT lim)
    ) h GROUP BY h.id ORDER BY s DESC, h.id LIMIT lim) r;
  RETURN QUERY SELECT u.i, u.s FROM unnest(ids, scores) AS u (i, s);
  -- A phone-looking term ("(415) 555-01") searches by its digits.
  IF term ~ '^[0-9 ()+./-]+$' AND length(digits) >= 3 THEN term := digits; END IF;
  IF cardinality(ids) >= lim OR length(term) < 3 THEN RETURN; END IF;
  infix := '%' || crm_like_escape(term) || '%';
  RETURN QUERY
    SELECT m.id, round(0.8 * word_similarity(term, m.doc)::numeric, 4) AS s FROM (
      SELECT c.id, lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) AS doc
        FROM contacts c
       WHERE c.tenant_id = t AND c.deleted_at IS NULL
         AND (lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) LIKE infix
              OR (length(term) >= 4
                  AND term <% lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, ''))))
       LIMIT 2000) m
    WHERE NOT (m.id = ANY (ids))
    ORDER BY s DESC, m.id LIMIT lim - cardinality(ids);
END $$;

CREATE FUNCTION crm_search_companies(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
#variable_conflict use_column
DECLARE
  t uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  term text := crm_search_term(q);
  lim integer := least(greatest(coalesce(max_rows, 20), 1), 1000);
  prefix text := crm_like_escape(crm_search_term(q)) || '%';
  infix text := '%' || crm_like_escape(crm_search_term(q)) || '%';
  ids uuid[];
  scores numeric[];
BEGIN
  IF t IS NULL OR term = '' THEN RETURN; END IF;
  SELECT coalesce(array_agg(r.id ORDER BY r.s DESC, r.id), '{}'), coalesce(array_agg(r.s ORDER BY r.s DESC, r.id), '{}')
    INTO ids, scores
    FROM (SELECT h.id, max(h.s) AS s FROM (
      (SELECT c.id, 1.0 AS s FROM companies c
        WHERE c.tenant_id = t AND c.deleted_at IS NULL AND (lower(c.name) COLLATE "C") LIKE prefix
        ORDER BY (lower(c.name) COLLATE "C") LIMIT lim)
      UNION ALL
      (SELECT c.id, 0.95 FROM companies c
        WHERE c.tenant_id = t AND c.deleted_at IS NULL AND c.domain IS NOT NULL AND (c.domain COLLATE "C") LIKE prefix
        ORDER BY (c.domain COLLATE "C") LIMIT lim)
    ) h GROUP BY h.id ORDER BY s DESC, h.id LIMIT lim) r;
  RETURN QUERY SELECT u.i, u.s FROM unnest(ids, scores) AS u (i, s);
  IF cardinality(ids) >= lim OR length(term) < 3 THEN RETURN; END IF;
  RETURN QUERY
    SELECT m.id, round(0.8 * word_similarity(term, m.doc)::numeric, 4) AS s FROM (
      SELECT c.id, lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, '')) AS doc
        FROM companies c
       WHERE c.tenant_id = t AND c.deleted_at IS NULL
         AND (lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, '')) LIKE infix
              OR (length(term) >= 4 AND term <% lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, ''))))
       LIMIT 2000) m
    WHERE NOT (m.id = ANY (ids))
    ORDER BY s DESC, m.id LIMIT lim - cardinality(ids);
END $$;

-- Leads (title) and deals (name): one prefix path and one trigram path.
CREATE FUNCTION crm_search_leads(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
  SELECT m.id, max(m.s) AS score FROM (
    (SELECT l.id, 1.0 AS s FROM leads l
      WHERE l.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid AND l.deleted_at IS NULL
        AND (lower(l.title) COLLATE "C") LIKE crm_like_escape(crm_search_term(q)) || '%'
      ORDER BY (lower(l.title) COLLATE "C") LIMIT least(greatest(coalesce(max_rows, 20), 1), 1000))
    UNION ALL
    (SELECT l.id, round(0.8 * word_similarity(crm_search_term(q), lower(l.title))::numeric, 4) FROM leads l
      WHERE l.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid AND l.deleted_at IS NULL
        AND length(crm_search_term(q)) >= 3
        AND (lower(l.title) LIKE '%' || crm_like_escape(crm_search_term(q)) || '%'
             OR (length(crm_search_term(q)) >= 4 AND crm_search_term(q) <% lower(l.title)))
      LIMIT 2000)
  ) m GROUP BY m.id ORDER BY score DESC, m.id LIMIT least(greatest(coalesce(max_rows, 20), 1), 1000)
$$;

CREATE FUNCTION crm_search_deals(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
AS $$
  SELECT m.id, max(m.s) AS score FROM (
    (SELECT d.id, 1.0 AS s FROM deals d
      WHERE d.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid AND d.deleted_at IS NULL
        AND (lower(d.name) COLLATE "C") LIKE crm_like_escape(crm_search_term(q)) || '%'
      ORDER BY (lower(d.name) COLLATE "C") LIMIT least(greatest(coalesce(max_rows, 20), 1), 1000))
    UNION ALL
    (SELECT d.id, round(0.8 * word_similarity(crm_search_term(q), lower(d.name))::numeric, 4) FROM deals d
      WHERE d.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid AND d.deleted_at IS NULL
        AND length(crm_search_term(q)) >= 3
        AND (lower(d.name) LIKE '%' || crm_like_escape(crm_search_term(q)) || '%'
             OR (length(crm_search_term(q)) >= 4 AND crm_search_term(q) <% lower(d.name)))
      LIMIT 2000)
  ) m GROUP BY m.id ORDER BY score DESC, m.id LIMIT least(greatest(coalesce(max_rows, 20), 1), 1000)
$$;

-- Custom-field sort indexes. The server passes the sort-key expression that
-- its list queries use (list-sql `sortKey(customFieldSpec('custom', key,
-- type))`); the function rebuilds the expression from the regex-checked key
-- and refuses anything else, so no caller-supplied SQL is ever executed.
-- Each index is partial on the calling tenant (`tenant_id = '<uuid>'`): keys
-- are per tenant, and one tenant's values must never reach an index built for
-- another tenant's type (a failing ::numeric cast or an oversized text would
-- block that tenant's writes). List queries add `tenant_id = $n` so the
-- planner can prove the predicate. At most 30 such indexes per tenant and
-- table. Dates are not indexed: text→date casts are not immutable.
CREATE FUNCTION crm_ensure_custom_field_index(entity text, field_key text, field_type text, expr text)
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
  index_name := 'cf_' || tbl || '_' || left(md5(t::text || expected), 24);
  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = index_name AND relkind = 'i') THEN RETURN true; END IF;
  IF (SELECT count(*) FROM pg_indexes WHERE tablename = tbl AND indexname LIKE 'cf\_%' AND indexdef LIKE '%' || t::text || '%') >= 30 THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE INDEX %I ON %I (tenant_id, (%s), id) WHERE deleted_at IS NULL AND tenant_id = %L::uuid',
                 index_name, tbl, expected, t);
  RETURN true;
END $$;

REVOKE ALL ON FUNCTION crm_search_contacts(text, integer), crm_search_companies(text, integer),
  crm_search_leads(text, integer), crm_search_deals(text, integer),
  crm_ensure_custom_field_index(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_search_contacts(text, integer), crm_search_companies(text, integer),
  crm_search_leads(text, integer), crm_search_deals(text, integer),
  crm_ensure_custom_field_index(text, text, text, text), crm_search_term(text), crm_like_escape(text) TO pillar_app;

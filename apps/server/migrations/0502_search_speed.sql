-- Search functions of 0101, planned so that their cost stays bounded in a
-- large tenant (measured on 1M contacts, 200k companies, 300k deals).
-- Same signatures, grants, scores and ranking; tenant from app.tenant_id and
-- nothing when it is unset. Security-critical: SECURITY DEFINER (see 0100).
--
-- 1. The trigram branch (`LIKE '%term%' OR term <% doc … LIMIT 300`) was
--    planned as a sequential or plain index scan of the whole tenant: the
--    planner guesses that a few percent of the rows match and expects LIMIT
--    to stop the scan early, but a fragment such as "ugh" matches 0.6% of
--    1M contacts (80k rows read to find 300) and a term that matches nothing
--    (most deal names) reads all 300k deals before answering (1.3–2.5 s).
--    The branch now goes through the trigram GIN index as a bitmap: its cost
--    follows the number of matching rows, not the tenant's size. A bitmap
--    lists every match, though, so a substring that most rows contain
--    ("example", the +49 of every phone: 0.8 s on 1M contacts) is sampled
--    first: when 10% or more of the tenant's first 200 rows contain it, the
--    candidates are the first 300 matches in id order (at most 6000 rows
--    read). Terms without three consecutive letters or digits give the
--    index no trigram to look up, so they keep the planner's own choice.
-- 2. The trigram GIN indexes keep a short pending list (256 kB instead of
--    gin_pending_list_limit's 4 MB): every search reads the whole list before
--    its index lookup (391 pages on contacts, 212 on deals in the benchmark
--    data set). Inserts are still batched into the index, in smaller merges.
--    The list left by earlier writes is merged here.
-- 3. Leads and deals search their trigram candidates only when the prefix
--    matches leave room (as contacts and companies already did): prefix hits
--    score 1.0 and trigram hits at most 0.8, so the result is the same.

ALTER INDEX contacts_search_trgm_idx SET (fastupdate = on, gin_pending_list_limit = 256);
ALTER INDEX companies_search_trgm_idx SET (fastupdate = on, gin_pending_list_limit = 256);
ALTER INDEX leads_search_trgm_idx SET (fastupdate = on, gin_pending_list_limit = 256);
ALTER INDEX deals_search_trgm_idx SET (fastupdate = on, gin_pending_list_limit = 256);
SELECT gin_clean_pending_list('contacts_search_trgm_idx'), gin_clean_pending_list('companies_search_trgm_idx'),
       gin_clean_pending_list('leads_search_trgm_idx'), gin_clean_pending_list('deals_search_trgm_idx');

-- True when a LIKE '%term%' lookup in a trigram index has a trigram to look
-- up (a run of three letters or digits); otherwise the index would have to
-- read all its entries and the planner's choice is kept.
CREATE OR REPLACE FUNCTION crm_search_indexable(term text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(term, '') ~ '[[:alnum:]]{3}' $$;

-- Makes the rest of the calling statement's planning use bitmap scans only
-- (the trigram GIN index). Callers declare `SET enable_seqscan = on`,
-- `SET enable_indexscan = on` and `SET enable_indexonlyscan = on`, so the
-- settings are restored when they return.
CREATE OR REPLACE FUNCTION crm_search_bitmap_only() RETURNS void
LANGUAGE sql VOLATILE
AS $$ SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),
         set_config('enable_indexonlyscan', 'off', true) $$;

-- Contacts: full-name, last-name and email prefixes first (scores 0.9–1);
-- when those give fewer than `max_rows`, fragments and typos by trigram
-- (score 0.8 × word similarity), ranked among at most 300 candidates.
CREATE OR REPLACE FUNCTION crm_search_contacts(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
SET enable_seqscan = on
SET enable_indexscan = on
SET enable_indexonlyscan = on
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
  sampled integer;
  cand_ids uuid[];
  cand_docs text[];
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
  IF crm_search_indexable(term) THEN
    -- A common substring ("example", "gmbh": 10% or more of a sample of the
    -- tenant's first 200 rows) takes its first 300 matches in id order,
    -- reading at most 6000 rows; the index would list every match first.
    SELECT count(*) INTO sampled FROM (SELECT lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) AS doc FROM contacts c
       WHERE c.tenant_id = t AND c.deleted_at IS NULL ORDER BY c.id LIMIT 200) p WHERE p.doc LIKE infix;
    IF sampled >= 20 THEN
      SELECT array_agg(p.id), array_agg(p.doc) INTO cand_ids, cand_docs FROM (
        SELECT p.id, p.doc FROM (SELECT c.id, lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) AS doc FROM contacts c
           WHERE c.tenant_id = t AND c.deleted_at IS NULL ORDER BY c.id LIMIT 6000) p
         WHERE p.doc LIKE infix OR (length(term) >= 4 AND term <% p.doc) LIMIT 300) p;
      IF cardinality(cand_ids) >= 300 THEN
        RETURN QUERY
          SELECT u.id, round(0.8 * word_similarity(term, u.doc)::numeric, 4) AS s FROM unnest(cand_ids, cand_docs) AS u (id, doc)
           WHERE NOT (u.id = ANY (ids))
           ORDER BY s DESC, u.id LIMIT lim - cardinality(ids);
        RETURN;
      END IF;
    END IF;
    PERFORM crm_search_bitmap_only();
  END IF;
  RETURN QUERY
    SELECT m.id, round(0.8 * word_similarity(term, m.doc)::numeric, 4) AS s FROM (
      SELECT c.id, lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) AS doc
        FROM contacts c
       WHERE c.tenant_id = t AND c.deleted_at IS NULL
         AND (lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')) LIKE infix
              OR (length(term) >= 4
                  AND term <% lower(c.first_name || ' ' || c.last_name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, ''))))
       LIMIT 300) m
    WHERE NOT (m.id = ANY (ids))
    ORDER BY s DESC, m.id LIMIT lim - cardinality(ids);
END $$;

CREATE OR REPLACE FUNCTION crm_search_companies(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
SET enable_seqscan = on
SET enable_indexscan = on
SET enable_indexonlyscan = on
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
  sampled integer;
  cand_ids uuid[];
  cand_docs text[];
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
  IF crm_search_indexable(term) THEN
    -- A common substring ("example", "gmbh": 10% or more of a sample of the
    -- tenant's first 200 rows) takes its first 300 matches in id order,
    -- reading at most 6000 rows; the index would list every match first.
    SELECT count(*) INTO sampled FROM (SELECT lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, '')) AS doc FROM companies c
       WHERE c.tenant_id = t AND c.deleted_at IS NULL ORDER BY c.id LIMIT 200) p WHERE p.doc LIKE infix;
    IF sampled >= 20 THEN
      SELECT array_agg(p.id), array_agg(p.doc) INTO cand_ids, cand_docs FROM (
        SELECT p.id, p.doc FROM (SELECT c.id, lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, '')) AS doc FROM companies c
           WHERE c.tenant_id = t AND c.deleted_at IS NULL ORDER BY c.id LIMIT 6000) p
         WHERE p.doc LIKE infix OR (length(term) >= 4 AND term <% p.doc) LIMIT 300) p;
      IF cardinality(cand_ids) >= 300 THEN
        RETURN QUERY
          SELECT u.id, round(0.8 * word_similarity(term, u.doc)::numeric, 4) AS s FROM unnest(cand_ids, cand_docs) AS u (id, doc)
           WHERE NOT (u.id = ANY (ids))
           ORDER BY s DESC, u.id LIMIT lim - cardinality(ids);
        RETURN;
      END IF;
    END IF;
    PERFORM crm_search_bitmap_only();
  END IF;
  RETURN QUERY
    SELECT m.id, round(0.8 * word_similarity(term, m.doc)::numeric, 4) AS s FROM (
      SELECT c.id, lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, '')) AS doc
        FROM companies c
       WHERE c.tenant_id = t AND c.deleted_at IS NULL
         AND (lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, '')) LIKE infix
              OR (length(term) >= 4 AND term <% lower(c.name || ' ' || coalesce(c.domain, '') || ' ' || coalesce(c.phone, ''))))
       LIMIT 300) m
    WHERE NOT (m.id = ANY (ids))
    ORDER BY s DESC, m.id LIMIT lim - cardinality(ids);
END $$;

-- Leads (title) and deals (name): one prefix path (score 1) and, when it
-- leaves room, one trigram path (0.8 × word similarity, at most 300
-- candidates ranked).
CREATE OR REPLACE FUNCTION crm_search_leads(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
SET enable_seqscan = on
SET enable_indexscan = on
SET enable_indexonlyscan = on
AS $$
#variable_conflict use_column
DECLARE
  t uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  term text := crm_search_term(q);
  lim integer := least(greatest(coalesce(max_rows, 20), 1), 1000);
  prefix text := crm_like_escape(crm_search_term(q)) || '%';
  infix text := '%' || crm_like_escape(crm_search_term(q)) || '%';
  ids uuid[];
  sampled integer;
  cand_ids uuid[];
  cand_docs text[];
BEGIN
  IF t IS NULL OR term = '' THEN RETURN; END IF;
  SELECT coalesce(array_agg(p.id ORDER BY p.id), '{}') INTO ids FROM (
    SELECT l.id FROM leads l
     WHERE l.tenant_id = t AND l.deleted_at IS NULL AND (lower(l.title) COLLATE "C") LIKE prefix
     ORDER BY (lower(l.title) COLLATE "C") LIMIT lim) p;
  RETURN QUERY SELECT u.i, 1.0 FROM unnest(ids) AS u (i);
  IF cardinality(ids) >= lim OR length(term) < 3 THEN RETURN; END IF;
  IF crm_search_indexable(term) THEN
    -- A common substring ("example", "gmbh": 10% or more of a sample of the
    -- tenant's first 200 rows) takes its first 300 matches in id order,
    -- reading at most 6000 rows; the index would list every match first.
    SELECT count(*) INTO sampled FROM (SELECT lower(l.title) AS doc FROM leads l
       WHERE l.tenant_id = t AND l.deleted_at IS NULL ORDER BY l.id LIMIT 200) p WHERE p.doc LIKE infix;
    IF sampled >= 20 THEN
      SELECT array_agg(p.id), array_agg(p.doc) INTO cand_ids, cand_docs FROM (
        SELECT p.id, p.doc FROM (SELECT l.id, lower(l.title) AS doc FROM leads l
           WHERE l.tenant_id = t AND l.deleted_at IS NULL ORDER BY l.id LIMIT 6000) p
         WHERE p.doc LIKE infix OR (length(term) >= 4 AND term <% p.doc) LIMIT 300) p;
      IF cardinality(cand_ids) >= 300 THEN
        RETURN QUERY
          SELECT u.id, round(0.8 * word_similarity(term, u.doc)::numeric, 4) AS s FROM unnest(cand_ids, cand_docs) AS u (id, doc)
           WHERE NOT (u.id = ANY (ids))
           ORDER BY s DESC, u.id LIMIT lim - cardinality(ids);
        RETURN;
      END IF;
    END IF;
    PERFORM crm_search_bitmap_only();
  END IF;
  RETURN QUERY
    SELECT m.id, round(0.8 * word_similarity(term, m.doc)::numeric, 4) AS s FROM (
      SELECT l.id, lower(l.title) AS doc FROM leads l
       WHERE l.tenant_id = t AND l.deleted_at IS NULL
         AND (lower(l.title) LIKE infix OR (length(term) >= 4 AND term <% lower(l.title)))
       LIMIT 300) m
    WHERE NOT (m.id = ANY (ids))
    ORDER BY s DESC, m.id LIMIT lim - cardinality(ids);
END $$;

CREATE OR REPLACE FUNCTION crm_search_deals(q text, max_rows integer DEFAULT 20)
RETURNS TABLE (id uuid, score numeric)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET plan_cache_mode = force_custom_plan
SET pg_trgm.word_similarity_threshold = 0.5
SET enable_seqscan = on
SET enable_indexscan = on
SET enable_indexonlyscan = on
AS $$
#variable_conflict use_column
DECLARE
  t uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  term text := crm_search_term(q);
  lim integer := least(greatest(coalesce(max_rows, 20), 1), 1000);
  prefix text := crm_like_escape(crm_search_term(q)) || '%';
  infix text := '%' || crm_like_escape(crm_search_term(q)) || '%';
  ids uuid[];
  sampled integer;
  cand_ids uuid[];
  cand_docs text[];
BEGIN
  IF t IS NULL OR term = '' THEN RETURN; END IF;
  SELECT coalesce(array_agg(p.id ORDER BY p.id), '{}') INTO ids FROM (
    SELECT d.id FROM deals d
     WHERE d.tenant_id = t AND d.deleted_at IS NULL AND (lower(d.name) COLLATE "C") LIKE prefix
     ORDER BY (lower(d.name) COLLATE "C") LIMIT lim) p;
  RETURN QUERY SELECT u.i, 1.0 FROM unnest(ids) AS u (i);
  IF cardinality(ids) >= lim OR length(term) < 3 THEN RETURN; END IF;
  IF crm_search_indexable(term) THEN
    -- A common substring ("example", "gmbh": 10% or more of a sample of the
    -- tenant's first 200 rows) takes its first 300 matches in id order,
    -- reading at most 6000 rows; the index would list every match first.
    SELECT count(*) INTO sampled FROM (SELECT lower(d.name) AS doc FROM deals d
       WHERE d.tenant_id = t AND d.deleted_at IS NULL ORDER BY d.id LIMIT 200) p WHERE p.doc LIKE infix;
    IF sampled >= 20 THEN
      SELECT array_agg(p.id), array_agg(p.doc) INTO cand_ids, cand_docs FROM (
        SELECT p.id, p.doc FROM (SELECT d.id, lower(d.name) AS doc FROM deals d
           WHERE d.tenant_id = t AND d.deleted_at IS NULL ORDER BY d.id LIMIT 6000) p
         WHERE p.doc LIKE infix OR (length(term) >= 4 AND term <% p.doc) LIMIT 300) p;
      IF cardinality(cand_ids) >= 300 THEN
        RETURN QUERY
          SELECT u.id, round(0.8 * word_similarity(term, u.doc)::numeric, 4) AS s FROM unnest(cand_ids, cand_docs) AS u (id, doc)
           WHERE NOT (u.id = ANY (ids))
           ORDER BY s DESC, u.id LIMIT lim - cardinality(ids);
        RETURN;
      END IF;
    END IF;
    PERFORM crm_search_bitmap_only();
  END IF;
  RETURN QUERY
    SELECT m.id, round(0.8 * word_similarity(term, m.doc)::numeric, 4) AS s FROM (
      SELECT d.id, lower(d.name) AS doc FROM deals d
       WHERE d.tenant_id = t AND d.deleted_at IS NULL
         AND (lower(d.name) LIKE infix OR (length(term) >= 4 AND term <% lower(d.name)))
       LIMIT 300) m
    WHERE NOT (m.id = ANY (ids))
    ORDER BY s DESC, m.id LIMIT lim - cardinality(ids);
END $$;

REVOKE ALL ON FUNCTION crm_search_bitmap_only() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_search_indexable(text) TO pillar_app;

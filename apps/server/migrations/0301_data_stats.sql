-- An import writes hundreds of thousands of rows into a table whose planner
-- statistics still describe it as nearly empty; with those, duplicate
-- lookups by email or domain pick the wrong index and each batch scans the
-- whole tenant. The request role cannot ANALYZE (owners only), so this
-- SECURITY DEFINER function refreshes the statistics of the four record
-- tables, and of nothing else. It reads and returns no data.
CREATE FUNCTION data_refresh_stats(tbl text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF tbl NOT IN ('contacts', 'companies', 'leads', 'deals') THEN
    RAISE EXCEPTION 'not a record table: %', tbl;
  END IF;
  EXECUTE format('ANALYZE %I', tbl);
END $$;
REVOKE ALL ON FUNCTION data_refresh_stats(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION data_refresh_stats(text) TO pillar_app;

-- Runs once, when the primary's data directory is first initialised. Through PgBouncer's
-- transaction pooling the origin cannot set session settings at connect time (PgBouncer refuses
-- them as startup parameters, and a SET would leak to the next client of the server connection),
-- so the role carries the statement timeout the origin sets on direct connections
-- (DB_STATEMENT_TIMEOUT_MS). The replica inherits it with the catalog; migrations override it.
-- plan_cache_mode needs no such help: without prepared statements every query is planned with
-- its own parameters.
ALTER ROLE CURRENT_USER SET statement_timeout = '5s';

-- The exporter's role, for a DBA to run once as a superuser (or the database owner) in the
-- vaccination service's database, before the exporter's first start:
--
--     psql "$DATABASE_URL" -f scripts/create-db-roles.sql
--     psql "$DATABASE_URL" -c '\password dps_exporter'
--
-- What it gives the exporter, and no more:
--   * its own schema, dps_export, which it owns: Flyway creates the exporter's tables, the Spring
--     Batch tables and its history there at start-up (dps.database.schema);
--   * SELECT on the columns of the vaccination service's tables that the exporter reads, and
--     nothing else of them: it cannot write, alter or create anything in that schema;
--   * pg_read_all_stats, to see when the transactions open in the database began.
-- The column list is the source contract (README, "The source contract"); the exporter checks it
-- before each export and names any column missing or not granted.
--
-- The vaccination service's tables are taken to be in schema public. If they are elsewhere,
-- replace "public." and "SCHEMA public" below and set dps.database.source-schema to match.

CREATE ROLE dps_exporter LOGIN;

-- Sessions idle in a transaction are ended rather than left holding locks: the exporter keeps its
-- transactions short, so a long one would be a fault, not its work.
ALTER ROLE dps_exporter SET idle_in_transaction_session_timeout = '5min';

CREATE SCHEMA dps_export AUTHORIZATION dps_exporter;

-- The nightly claim looks at records changed since its last claim, kept behind the start of every
-- transaction open in the database at that claim (a record such a transaction writes is committed
-- after the claim read past it). Seeing those transactions' start times in pg_stat_activity needs
-- this role; it also shows their query texts, which is why it is granted here and not assumed.
GRANT pg_read_all_stats TO dps_exporter;

GRANT USAGE ON SCHEMA public TO dps_exporter;

GRANT SELECT (id, uuid, patient_id, programme_id, session_id, vaccine_id, batch_id, outcome, delivery_site,
              delivery_method, dose_sequence, full_dose, performed_at, performed_by_user_id,
              performed_by_given_name, performed_by_family_name, created_at, updated_at, discarded_at)
    ON public.vaccination_records TO dps_exporter;
GRANT SELECT (id, nhs_number, given_name, family_name, date_of_birth, gender_code, address_postcode)
    ON public.patients TO dps_exporter;
GRANT SELECT (id, type, snomed_procedure_code, snomed_procedure_term) ON public.programmes TO dps_exporter;
GRANT SELECT (id, organisation_id, location_id) ON public.sessions TO dps_exporter;
GRANT SELECT (id, ods_code) ON public.organisations TO dps_exporter;
GRANT SELECT (id, type, urn, ods_code) ON public.locations TO dps_exporter;
GRANT SELECT (id, snomed_product_code, snomed_product_term, manufacturer, dose_volume_ml)
    ON public.vaccines TO dps_exporter;
GRANT SELECT (id, name, expiry) ON public.batches TO dps_exporter;
GRANT SELECT (id, given_name, family_name) ON public.users TO dps_exporter;

-- The source data, shaped like the NHS "Manage vaccinations in schools" service. Owned by that
-- service in production; applied only for the local run, the demo and the tests (dps.demo.enabled).
-- Enumerations are text with CHECK constraints so the values read naturally in SQL and in
-- reject reasons; the exporter validates them again when mapping, because a real source
-- database is not always this strict.

CREATE TABLE programmes (
    id                       BIGSERIAL PRIMARY KEY,
    type                     TEXT NOT NULL UNIQUE,          -- flu, hpv, menacwy, td_ipv
    name                     TEXT NOT NULL UNIQUE,          -- Flu, HPV, MenACWY, Td/IPV
    snomed_procedure_code    TEXT NOT NULL,
    snomed_procedure_term    TEXT NOT NULL
);

CREATE TABLE organisations (
    id        BIGSERIAL PRIMARY KEY,
    ods_code  TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL
);

CREATE TABLE locations (
    id        BIGSERIAL PRIMARY KEY,
    type      TEXT NOT NULL CHECK (type IN ('school', 'clinic')),
    name      TEXT NOT NULL,
    urn       TEXT,                                         -- schools
    ods_code  TEXT                                          -- clinics
);

CREATE TABLE patients (
    id                BIGSERIAL PRIMARY KEY,
    nhs_number        TEXT,                                 -- 10 digits when known
    given_name        TEXT NOT NULL,
    family_name       TEXT NOT NULL,
    date_of_birth     DATE NOT NULL,
    gender_code       SMALLINT NOT NULL DEFAULT 0,          -- NHS codes 0, 1, 2, 9
    address_postcode  TEXT
);

CREATE TABLE vaccines (
    id                    BIGSERIAL PRIMARY KEY,
    programme_id          BIGINT NOT NULL REFERENCES programmes (id),
    key                   TEXT NOT NULL UNIQUE,
    brand                 TEXT NOT NULL,
    manufacturer          TEXT NOT NULL,
    method                TEXT NOT NULL CHECK (method IN ('injection', 'nasal')),
    dose_volume_ml        NUMERIC(6, 3) NOT NULL,
    snomed_product_code   TEXT NOT NULL,
    snomed_product_term   TEXT NOT NULL,
    discontinued          BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE batches (
    id          BIGSERIAL PRIMARY KEY,
    vaccine_id  BIGINT NOT NULL REFERENCES vaccines (id),
    name        TEXT NOT NULL,
    expiry      DATE
);

CREATE TABLE users (
    id           BIGSERIAL PRIMARY KEY,
    given_name   TEXT NOT NULL,
    family_name  TEXT NOT NULL,
    email        TEXT NOT NULL UNIQUE
);

CREATE TABLE sessions (
    id               BIGSERIAL PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    location_id      BIGINT REFERENCES locations (id),
    programme_id     BIGINT NOT NULL REFERENCES programmes (id)
);

CREATE TABLE vaccination_records (
    id                          BIGSERIAL PRIMARY KEY,
    uuid                        UUID NOT NULL UNIQUE,
    patient_id                  BIGINT NOT NULL REFERENCES patients (id),
    programme_id                BIGINT NOT NULL REFERENCES programmes (id),
    session_id                  BIGINT REFERENCES sessions (id),
    vaccine_id                  BIGINT REFERENCES vaccines (id),
    batch_id                    BIGINT REFERENCES batches (id),
    outcome                     TEXT NOT NULL,              -- administered, refused, not_well, ...
    delivery_site               TEXT,                       -- left_arm_upper_position, nose, ...
    delivery_method             TEXT,                       -- intramuscular, subcutaneous, nasal_spray
    dose_sequence               INTEGER,
    full_dose                   BOOLEAN NOT NULL DEFAULT TRUE,
    performed_at                TIMESTAMPTZ NOT NULL,
    performed_by_user_id        BIGINT REFERENCES users (id),
    performed_by_given_name     TEXT,
    performed_by_family_name    TEXT,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),  -- the record version
    discarded_at                TIMESTAMPTZ
);

CREATE INDEX index_vaccination_records_on_patient_id ON vaccination_records (patient_id);
CREATE INDEX index_vaccination_records_on_session_id ON vaccination_records (session_id);

-- Asked of the vaccination service for the exporter (README, "The source contract"): the nightly
-- claim finds a programme's records changed since its last claim by this index, so it costs what
-- changed rather than what the table holds.
-- The included columns let a first, full export read the programme's records from the index alone.
CREATE INDEX index_vaccination_records_for_dps ON vaccination_records (programme_id, updated_at)
    INCLUDE (id, discarded_at, outcome, session_id);

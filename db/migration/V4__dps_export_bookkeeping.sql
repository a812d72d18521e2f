-- What the exporter has claimed, written and sent. Kept in tables of its own rather than in
-- columns on vaccination_records: the source table belongs to the vaccination service, and
-- writing to it would bump ORM-managed versions and fight its migrations.

-- One export per programme per run date: the same key as the dpsExportJob instance, so a
-- restarted instance finds its export again and the metadata tables read the same way.
CREATE TABLE dps_exports (
    id                 BIGSERIAL PRIMARY KEY,
    local_id           UUID NOT NULL UNIQUE,        -- sent as mex-LocalID; finds the message again
    programme_id       BIGINT NOT NULL REFERENCES programmes (id),
    run_date           DATE NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('CLAIMED', 'WRITTEN', 'UPLOADING', 'UPLOADED',
                                                       'SENT', 'ACKNOWLEDGED', 'UNDELIVERABLE')),
    file_name          TEXT NOT NULL,
    file_path          TEXT NOT NULL,
    claimed_count      INTEGER NOT NULL,
    row_count          INTEGER,                     -- data rows in the file, header excluded
    reject_count       INTEGER,
    file_size_bytes    BIGINT,
    file_sha256        TEXT,
    mesh_message_id    TEXT UNIQUE,
    mesh_status        TEXT,                        -- last status seen by tracking
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    written_at         TIMESTAMPTZ,
    upload_started_at  TIMESTAMPTZ,
    uploaded_at        TIMESTAMPTZ,
    sent_at            TIMESTAMPTZ,
    acknowledged_at    TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dps_exports_one_per_programme_and_run_date UNIQUE (programme_id, run_date)
);

-- Exports not yet SENT hold their records; few rows match, so this stays tiny.
CREATE INDEX index_dps_exports_unfinished ON dps_exports (programme_id)
    WHERE status IN ('CLAIMED', 'WRITTEN', 'UPLOADING', 'UPLOADED');

-- The records an export carries, with the action and the record version (updated_at) claimed.
-- No foreign keys on this table or on dps_record_state: they take a row-level trigger per
-- record, which made claiming and marking a million records several times slower, and their
-- only writers are the claim and mark statements, which copy ids from the referenced tables.
-- "Held by an unfinished export" is found through the primary key, from the few unfinished exports.
CREATE TABLE dps_export_records (
    export_id              BIGINT NOT NULL,
    vaccination_record_id  BIGINT NOT NULL,
    action_flag            TEXT NOT NULL CHECK (action_flag IN ('new', 'update', 'delete')),
    record_version         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (export_id, vaccination_record_id)
);

-- Claimed records the file step could not map; they stay unsent and are retried next run.
CREATE TABLE dps_export_rejects (
    export_id              BIGINT NOT NULL REFERENCES dps_exports (id),
    vaccination_record_id  BIGINT NOT NULL REFERENCES vaccination_records (id),
    record_uuid            UUID NOT NULL,
    reason                 TEXT NOT NULL,
    rejected_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (export_id, vaccination_record_id)
);

-- The last version of each record that reached DPS. "Unsent" is "no row here";
-- "changed since sent" is "updated_at > sent_version".
CREATE TABLE dps_record_state (
    vaccination_record_id  BIGINT PRIMARY KEY,
    sent_version           TIMESTAMPTZ NOT NULL,
    sent_action            TEXT NOT NULL CHECK (sent_action IN ('new', 'update', 'delete')),
    sent_at                TIMESTAMPTZ NOT NULL,
    export_id              BIGINT NOT NULL
);

-- The claim reads one programme's records with their current version and eligibility.
CREATE INDEX index_vaccination_records_for_dps ON vaccination_records
    (programme_id, id) INCLUDE (updated_at, discarded_at, outcome, session_id);

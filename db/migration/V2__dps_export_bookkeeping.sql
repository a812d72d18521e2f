-- What the exporter has claimed, written and sent, in its own schema (dps.database.schema). The
-- vaccination service's tables are only read: nothing here refers to them by foreign key or adds
-- an index or a trigger to them, so its migrations and deletes never meet the exporter's.

-- One export per programme per run date: the same key as the dpsExportJob instance, so a
-- restarted instance finds its export again and the metadata tables read the same way.
CREATE TABLE dps_exports (
    id                 BIGSERIAL PRIMARY KEY,
    local_id           UUID NOT NULL UNIQUE,        -- sent as mex-LocalID; finds the message again
    programme_id       BIGINT NOT NULL,             -- programmes.id of the source
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
    -- when the latest first POST of the message started: until MESH names the message, its
    -- outcome is unknown, and the message is not sent again before mesh.send-settle-time has passed
    mesh_first_post_at TIMESTAMPTZ,
    mesh_chunks_sent   INTEGER NOT NULL DEFAULT 0,  -- chunks MESH has taken (the first POST is chunk 1)
    mesh_chunk_count   INTEGER,
    -- the source changes the claim looked at: updated_at from changes_since; the next claim of the
    -- programme starts from changes_until (see dps_claim_watermarks)
    changes_since      TIMESTAMPTZ,
    changes_until      TIMESTAMPTZ,
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

-- DPS processes a file name once and rejects a second file under a name it has seen, comparing
-- names upper-cased. A name is fixed when its export is created, so uniqueness is enforced here:
-- two exports created in the same second cannot both take it (the claim moves the later one's
-- timestamp on by a second).
CREATE UNIQUE INDEX dps_exports_file_name_unique ON dps_exports (upper(file_name));

-- The records an export carries, with the action and the record version (updated_at) claimed.
-- No foreign keys: they take a row-level trigger per record, which made claiming a million records
-- several times slower, and the only writer is the claim, which copies ids from the source.
CREATE TABLE dps_export_records (
    export_id              BIGINT NOT NULL,
    vaccination_record_id  BIGINT NOT NULL,
    action_flag            TEXT NOT NULL CHECK (action_flag IN ('new', 'update', 'delete')),
    record_version         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (export_id, vaccination_record_id)
);

-- What DPS last got of a record is found from the record: its newest export, by this index.
CREATE INDEX dps_export_records_by_record ON dps_export_records (vaccination_record_id, export_id);

-- Claimed records the file step could not send; they stay unsent and are tried again next run. A
-- record deleted at the source after it was claimed is rejected too, with no uuid.
CREATE TABLE dps_export_rejects (
    export_id              BIGINT NOT NULL REFERENCES dps_exports (id),
    vaccination_record_id  BIGINT NOT NULL,
    record_uuid            UUID,
    reason                 TEXT NOT NULL,
    dps_column             TEXT,                -- the DPS column (or columns, comma-separated) at fault
    rejected_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (export_id, vaccination_record_id)
);

-- What DPS has of each record: the version carried by the newest SENT or ACKNOWLEDGED export that
-- did not reject it, whatever programme that export was for (DPS keys a record by its UNIQUE_ID).
-- Marking an export sent is one row (its status), which makes "sent" true of all its records at
-- once; an export MESH reports UNDELIVERABLE stops counting, so its records go again. For operators;
-- the claim looks up only the records it considers (ExportSelection).
CREATE VIEW dps_delivered_records AS
SELECT DISTINCT ON (er.vaccination_record_id)
       e.programme_id,
       er.vaccination_record_id,
       er.record_version AS sent_version,
       er.action_flag    AS sent_action,
       e.sent_at,
       er.export_id
FROM dps_exports e
JOIN dps_export_records er ON er.export_id = e.id
WHERE e.status IN ('SENT', 'ACKNOWLEDGED')
  AND NOT EXISTS (SELECT 1 FROM dps_export_rejects r
                  WHERE r.export_id = er.export_id AND r.vaccination_record_id = er.vaccination_record_id)
ORDER BY er.vaccination_record_id, er.export_id DESC;

-- Where each programme's next claim starts looking: records changed (updated_at) from this time on.
-- Kept behind the start of any transaction still open at the claim, so a record written by one that
-- commits after the claim is still looked at next time.
CREATE TABLE dps_claim_watermarks (
    programme_id    BIGINT PRIMARY KEY,
    changes_since   TIMESTAMPTZ NOT NULL,
    set_at          TIMESTAMPTZ NOT NULL
);

-- Who may act for a job instance (runs/RunLease). A lease survives a database restart, is renewed
-- by its owner's heartbeat, and is free again only once released (after the final status is saved)
-- or expired (its process died).
CREATE TABLE dps_run_leases (
    job_instance_id   BIGINT PRIMARY KEY,
    job_execution_id  BIGINT NOT NULL,
    owner             TEXT NOT NULL,          -- a token per process; proves ownership in the fenced updates
    holder            TEXT NOT NULL,          -- host and pid, for operators
    acquired_at       TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL
);

-- Who may act for a job instance (runs/RunLease). Replaces a session advisory lock, which a
-- database restart dropped while its process was still uploading: a lease survives that, is renewed
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

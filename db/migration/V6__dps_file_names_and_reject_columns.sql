-- DPS processes a file name once and rejects a second file under a name it has seen, comparing
-- names upper-cased. A name is fixed when its export is created, so uniqueness is enforced here:
-- two exports created in the same second cannot both take it (the claim moves the later one's
-- timestamp on by a second).
CREATE UNIQUE INDEX dps_exports_file_name_unique ON dps_exports (upper(file_name));

-- The DPS column (or columns, comma-separated) a rejected record fails on, beside the reason.
ALTER TABLE dps_export_rejects ADD COLUMN dps_column TEXT;

-- A claimed record can be deleted from vaccination_records before the file step reads it; it is
-- then rejected (there is nothing to send), and its reject must not need the row that is gone.
ALTER TABLE dps_export_rejects DROP CONSTRAINT dps_export_rejects_vaccination_record_id_fkey;
ALTER TABLE dps_export_rejects ALTER COLUMN record_uuid DROP NOT NULL;

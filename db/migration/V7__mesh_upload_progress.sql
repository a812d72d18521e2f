-- What the upload step knows of its MESH message, each fact committed as soon as it is known, so
-- a restart sends only what is missing and never a message MESH may already hold.
ALTER TABLE dps_exports
    -- when the latest first POST of the message started: until MESH names the message, its
    -- outcome is unknown, and the message is not sent again before mesh.send-settle-time has passed
    ADD COLUMN mesh_first_post_at TIMESTAMPTZ,
    -- chunks of the message MESH has taken (the first POST is chunk 1)
    ADD COLUMN mesh_chunks_sent INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN mesh_chunk_count INTEGER;

-- An export an earlier version left UPLOADING without a message id may have reached MESH: it is
-- uncertain from when its upload started, so it is looked up, and not sent blindly.
UPDATE dps_exports SET mesh_first_post_at = coalesce(upload_started_at, updated_at)
WHERE status = 'UPLOADING' AND mesh_message_id IS NULL;

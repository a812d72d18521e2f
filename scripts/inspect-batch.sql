-- Inspecting what ran: psql "$SPRING_DATASOURCE_URL" -f scripts/inspect-batch.sql
-- (the `status` command prints the first and last of these as tables).
-- The exporter's tables first (dps.database.schema), then the vaccination service's.
SET search_path TO dps_export, public;

-- Recent executions of every job, with identifying parameters and outcome.
SELECT e.job_execution_id, i.job_name, e.status, e.exit_code, e.start_time, e.end_time,
       (SELECT string_agg(p.parameter_name || '=' || p.parameter_value, ' ' ORDER BY p.parameter_name)
          FROM batch_job_execution_params p
         WHERE p.job_execution_id = e.job_execution_id AND p.identifying = 'Y') AS parameters
  FROM batch_job_execution e
  JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
 ORDER BY e.job_execution_id DESC
 LIMIT 20;

-- Steps of the latest dpsExportJob executions: where each stopped, with counts.
SELECT s.job_execution_id, s.step_name, s.status, s.read_count, s.write_count,
       s.process_skip_count, s.commit_count, s.rollback_count, s.start_time, s.end_time, s.exit_message
  FROM batch_step_execution s
 WHERE s.job_execution_id IN (SELECT e.job_execution_id FROM batch_job_execution e
                               JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                              WHERE i.job_name = 'dpsExportJob'
                              ORDER BY e.job_execution_id DESC LIMIT 8)
 ORDER BY s.step_execution_id;

-- Executions still marked running: after a crash these stay STARTED until restarted
-- (`restart <id>` recovers them once their process is gone).
SELECT e.job_execution_id, i.job_name, e.status, e.start_time, e.last_updated
  FROM batch_job_execution e
  JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
 WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING');

-- Exports and their MESH state.
SELECT p.name AS programme, x.run_date, x.status, x.claimed_count, x.row_count, x.reject_count,
       x.mesh_message_id, x.mesh_status, x.sent_at, x.acknowledged_at, x.file_name
  FROM dps_exports x JOIN programmes p ON p.id = x.programme_id
 ORDER BY x.id DESC
 LIMIT 20;

-- Records DPS would refuse, newest first, with the DPS column at fault and the reason.
SELECT r.rejected_at, p.name AS programme, x.run_date, r.record_uuid, r.dps_column, r.reason
  FROM dps_export_rejects r
  JOIN dps_exports x ON x.id = r.export_id
  JOIN programmes p ON p.id = x.programme_id
 ORDER BY r.rejected_at DESC
 LIMIT 50;

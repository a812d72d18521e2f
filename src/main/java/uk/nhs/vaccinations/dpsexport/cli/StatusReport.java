package uk.nhs.vaccinations.dpsexport.cli;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;

/**
 * The {@code status} command: recent job executions from the Spring Batch metadata tables and
 * the exports with their MESH state, as plain tables. Reads only what operators could query
 * themselves (scripts/inspect-batch.sql has the same queries); no secret is ever in there.
 */
@Component
public class StatusReport {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final JdbcClient jdbc;

	private final MeshProperties mesh;

	public StatusReport(JdbcClient jdbc, MeshProperties mesh) {
		this.jdbc = jdbc;
		this.mesh = mesh;
	}

	public void print(PrintStream out, int limit) {
		List<Map<String, Object>> executions = this.jdbc.sql("""
				SELECT e.job_execution_id AS id, i.job_name AS job,
				       coalesce((SELECT string_agg(p.parameter_name || '=' || p.parameter_value, ' ' ORDER BY p.parameter_name)
				                 FROM batch_job_execution_params p
				                 WHERE p.job_execution_id = e.job_execution_id AND p.identifying = 'Y'), '') AS params,
				       e.status, e.exit_code, e.start_time, e.end_time,
				       coalesce(sum(s.read_count), 0) AS read,
				       coalesce(max(s.write_count), 0) AS written,
				       coalesce(sum(s.read_skip_count + s.process_skip_count + s.write_skip_count), 0) AS skipped,
				       coalesce((SELECT s2.step_name FROM batch_step_execution s2
				                 WHERE s2.job_execution_id = e.job_execution_id
				                 ORDER BY s2.step_execution_id DESC LIMIT 1), '') AS last_step
				FROM batch_job_execution e
				JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				LEFT JOIN batch_step_execution s ON s.job_execution_id = e.job_execution_id
				GROUP BY e.job_execution_id, i.job_name
				ORDER BY e.job_execution_id DESC
				LIMIT :limit""").param("limit", limit).query().listOfRows();
		out.println("Recent job executions (newest first)");
		String format = "%6s  %-22s  %-9s  %-15s  %-19s  %-19s  %9s  %9s  %7s  %-7s  %s%n";
		out.printf(format, "EXEC", "JOB", "STATUS", "EXIT", "STARTED", "ENDED", "READ", "WRITTEN", "SKIPPED",
				"AT STEP", "PARAMETERS");
		for (Map<String, Object> row : executions) {
			out.printf(format, row.get("id"), row.get("job"), row.get("status"), row.get("exit_code"),
					time(row.get("start_time")), time(row.get("end_time")), row.get("read"), row.get("written"),
					row.get("skipped"), row.get("last_step"), row.get("params"));
		}
		if (executions.isEmpty()) {
			out.println("  (none yet)");
		}
		List<Map<String, Object>> exports = this.jdbc.sql("""
				SELECT e.local_id, p.name AS programme, e.run_date, e.status, e.claimed_count, e.row_count,
				       e.reject_count, e.mesh_message_id, e.mesh_status, e.sent_at, e.acknowledged_at, e.file_name,
				       e.mesh_first_post_at, e.mesh_first_post_at + make_interval(secs => :settle) AS resend_not_before,
				       e.mesh_chunks_sent, e.mesh_chunk_count
				FROM dps_exports e JOIN programmes p ON p.id = e.programme_id
				ORDER BY e.id DESC LIMIT :limit""")
			.param("limit", limit)
			.param("settle", this.mesh.sendSettleTime().toSeconds())
			.query()
			.listOfRows();
		out.println();
		out.println("Exports (newest first)");
		String exportFormat = "%-8s  %-10s  %-13s  %7s  %7s  %7s  %-32s  %-12s  %-19s  %-19s  %s%n";
		out.printf(exportFormat, "PROG", "RUN DATE", "STATUS", "CLAIMED", "ROWS", "REJECTS", "MESH MESSAGE",
				"MESH STATUS", "SENT", "ACKNOWLEDGED", "FILE");
		for (Map<String, Object> row : exports) {
			out.printf(exportFormat, row.get("programme"), row.get("run_date"), row.get("status"),
					row.get("claimed_count"), blank(row.get("row_count")), blank(row.get("reject_count")),
					blank(row.get("mesh_message_id")), blank(row.get("mesh_status")), time(row.get("sent_at")),
					time(row.get("acknowledged_at")), row.get("file_name"));
			if ("UPLOADING".equals(row.get("status"))) {
				out.println("          " + upload(row));
			}
		}
		if (exports.isEmpty()) {
			out.println("  (none yet)");
		}
	}

	/** Where an unfinished upload stands: uncertain (and when it may go again), or how many chunks went. */
	private static String upload(Map<String, Object> row) {
		if (row.get("mesh_message_id") == null && row.get("mesh_first_post_at") != null) {
			return "upload uncertain since " + time(row.get("mesh_first_post_at"))
					+ " UTC: MESH may hold it; looked up by local id " + row.get("local_id")
					+ " at the next run, and sent again only if MESH has none from " + time(row.get("resend_not_before"));
		}
		if (row.get("mesh_message_id") != null) {
			return "upload under way: " + row.get("mesh_chunks_sent") + " of " + blank(row.get("mesh_chunk_count"))
					+ " chunks taken by MESH; the next run sends the rest";
		}
		return "upload not started";
	}

	private static String blank(Object value) {
		return value == null ? "" : value.toString();
	}

	private static String time(Object value) {
		if (value instanceof java.sql.Timestamp timestamp) {
			return TIME.format(timestamp.toLocalDateTime());
		}
		if (value instanceof OffsetDateTime offset) {
			return TIME.format(offset.toLocalDateTime());
		}
		if (value instanceof LocalDateTime local) {
			return TIME.format(local);
		}
		return value == null ? "" : value.toString();
	}

}

package uk.nhs.vaccinations.dpsexport.exports;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileName;
import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * All export bookkeeping SQL. Every statement is set-based: claiming writes all of an export's
 * records in one statement, whatever their number, and marking them sent is one row.
 */
@Repository
public class ExportRepository {

	private static final String UNFINISHED = ExportStatus.UNFINISHED_SQL;

	private static final int MAX_NAME_ATTEMPTS = 60;

	private final JdbcClient jdbc;

	public ExportRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Creates the export, named for DPS as created at {@code createdAt} (whole seconds). DPS refuses a
	 * name it has seen, so a name already taken (an export of the same programme created in the same
	 * second) moves the timestamp on a second at a time; the unique index decides, not the clock.
	 */
	public DpsExport create(Programme programme, LocalDate runDate, String supplierOdsCode, Instant createdAt,
			Path outputDir) {
		Instant at = createdAt.truncatedTo(ChronoUnit.SECONDS);
		for (int attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++, at = at.plusSeconds(1)) {
			String fileName = DpsFileName.of(programme, supplierOdsCode, at);
			Optional<Long> id = this.jdbc.sql("""
					INSERT INTO dps_exports (local_id, programme_id, run_date, status, file_name, file_path,
					                         claimed_count, created_at)
					SELECT :localId, id, :runDate, 'CLAIMED', :fileName, :filePath, 0, :createdAt
					FROM programmes WHERE type = :programme
					ON CONFLICT ((upper(file_name))) DO NOTHING
					RETURNING id""")
				.param("localId", UUID.randomUUID())
				.param("runDate", runDate)
				.param("fileName", fileName)
				.param("filePath", outputDir.resolve(fileName).toAbsolutePath().normalize().toString())
				.param("createdAt", createdAt.atOffset(ZoneOffset.UTC))
				.param("programme", programme.type())
				.query(Long.class)
				.optional();
			if (id.isPresent()) {
				return get(id.get());
			}
		}
		throw new IllegalStateException("No free DPS file name for " + programme.displayName() + " within "
				+ MAX_NAME_ATTEMPTS + " seconds of " + createdAt);
	}

	/**
	 * The programmes in the order their exports should start: the most records claimed by their
	 * latest export first (the best guess at tonight's largest), then in their usual order.
	 */
	public List<Programme> largestFirst(Collection<Programme> programmes) {
		Map<String, Integer> lastClaimed = new HashMap<>();
		this.jdbc.sql("""
				SELECT DISTINCT ON (e.programme_id) p.type, e.claimed_count
				FROM dps_exports e JOIN programmes p ON p.id = e.programme_id
				ORDER BY e.programme_id, e.run_date DESC""").query((ResultSet rs) -> {
			lastClaimed.put(rs.getString(1), rs.getInt(2));
		});
		return programmes.stream()
			.sorted(Comparator.comparingInt((Programme p) -> -lastClaimed.getOrDefault(p.type(), 0))
				.thenComparing(Comparator.naturalOrder()))
			.toList();
	}

	public void delete(long exportId) {
		this.jdbc.sql("DELETE FROM dps_export_records WHERE export_id = :id").param("id", exportId).update();
		this.jdbc.sql("DELETE FROM dps_exports WHERE id = :id").param("id", exportId).update();
	}

	public Map<String, Integer> countByAction(long exportId) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		this.jdbc.sql("SELECT action_flag, count(*) FROM dps_export_records WHERE export_id = :id GROUP BY 1 ORDER BY 1")
			.param("id", exportId)
			.query((ResultSet rs) -> {
				counts.put(rs.getString(1), rs.getInt(2));
			});
		return counts;
	}

	public Optional<DpsExport> find(Programme programme, LocalDate runDate) {
		return this.jdbc.sql(SELECT_EXPORT + " WHERE p.type = :programme AND e.run_date = :runDate")
			.param("programme", programme.type())
			.param("runDate", runDate)
			.query(ExportRepository::mapExport)
			.optional();
	}

	public DpsExport get(long exportId) {
		return this.jdbc.sql(SELECT_EXPORT + " WHERE e.id = :id")
			.param("id", exportId)
			.query(ExportRepository::mapExport)
			.single();
	}

	public List<DpsExport> recent(int limit) {
		return this.jdbc.sql(SELECT_EXPORT + " ORDER BY e.id DESC LIMIT :limit")
			.param("limit", limit)
			.query(ExportRepository::mapExport)
			.list();
	}

	/** {@code column}: the DPS column at fault, or null when the failure is not about one column. */
	public void recordReject(long exportId, long recordId, UUID recordUuid, String column, String reason) {
		this.jdbc.sql("""
				INSERT INTO dps_export_rejects (export_id, vaccination_record_id, record_uuid, dps_column, reason)
				VALUES (:exportId, :recordId, :uuid, :column, :reason)
				ON CONFLICT (export_id, vaccination_record_id)
				DO UPDATE SET dps_column = EXCLUDED.dps_column, reason = EXCLUDED.reason""")
			.param("exportId", exportId)
			.param("recordId", recordId)
			.param("uuid", recordUuid)
			.param("column", column)
			.param("reason", reason)
			.update();
	}

	public int countRejects(long exportId) {
		return this.jdbc.sql("SELECT count(*) FROM dps_export_rejects WHERE export_id = :id")
			.param("id", exportId)
			.query(Integer.class)
			.single();
	}

	public void markWritten(long exportId, int rowCount, int rejectCount, long sizeBytes, String sha256) {
		this.jdbc.sql("""
				UPDATE dps_exports SET status = 'WRITTEN', row_count = :rows, reject_count = :rejects,
				       file_size_bytes = :size, file_sha256 = :sha, written_at = now(), updated_at = now()
				WHERE id = :id AND status = 'CLAIMED'""")
			.param("rows", rowCount)
			.param("rejects", rejectCount)
			.param("size", sizeBytes)
			.param("sha", sha256)
			.param("id", exportId)
			.update();
	}

	/**
	 * Back to CLAIMED, its file to be written again: only while nothing of it has gone to MESH (no
	 * first POST recorded, no message id). Its rejects go too; writing the file again finds them again.
	 */
	public boolean resetToClaimed(long exportId) {
		boolean reset = this.jdbc.sql("""
				UPDATE dps_exports SET status = 'CLAIMED', row_count = NULL, reject_count = NULL, file_size_bytes = NULL,
				       file_sha256 = NULL, written_at = NULL, upload_started_at = NULL, mesh_chunks_sent = 0,
				       mesh_chunk_count = NULL, updated_at = now()
				WHERE id = :id AND status IN ('WRITTEN', 'UPLOADING') AND mesh_message_id IS NULL
				  AND mesh_first_post_at IS NULL""").param("id", exportId).update() == 1;
		if (reset) {
			this.jdbc.sql("DELETE FROM dps_export_rejects WHERE export_id = :id").param("id", exportId).update();
		}
		return reset;
	}

	/** Committed before the first byte goes to MESH: from now on the outcome may be unknown. */
	public void markUploading(long exportId) {
		this.jdbc.sql("UPDATE dps_exports SET status = 'UPLOADING', upload_started_at = now(), updated_at = now() "
				+ "WHERE id = :id AND status = 'WRITTEN'").param("id", exportId).update();
	}

	/**
	 * Committed just before a first POST goes to MESH: from now until MESH names the message, its
	 * outcome is unknown. Database time, so the settle time holds across machines.
	 */
	public void recordFirstPost(long exportId, int chunks) {
		this.jdbc.sql("""
				UPDATE dps_exports SET mesh_first_post_at = now(), mesh_chunk_count = :chunks, mesh_chunks_sent = 0,
				       updated_at = now()
				WHERE id = :id AND status = 'UPLOADING' AND mesh_message_id IS NULL""")
			.param("chunks", chunks)
			.param("id", exportId)
			.update();
	}

	/** MESH certainly did not take the first POST (it refused, or was never reached): it may go again at once. */
	public void clearFirstPost(long exportId) {
		this.jdbc.sql("UPDATE dps_exports SET mesh_first_post_at = NULL, updated_at = now() "
				+ "WHERE id = :id AND status = 'UPLOADING' AND mesh_message_id IS NULL").param("id", exportId).update();
	}

	/** Whether the settle time has passed since the latest first POST whose outcome is unknown. */
	public boolean firstPostSettled(long exportId, Duration settleTime) {
		return this.jdbc.sql("SELECT mesh_first_post_at + make_interval(secs => :secs) <= now() FROM dps_exports "
				+ "WHERE id = :id")
			.param("secs", settleTime.toSeconds())
			.param("id", exportId)
			.query(Boolean.class)
			.single();
	}

	/** MESH named the export's message: from now on a restart sends only its missing chunks. */
	public void recordMessageId(long exportId, String messageId) {
		this.jdbc.sql("""
				UPDATE dps_exports SET mesh_message_id = :messageId, mesh_chunks_sent = greatest(mesh_chunks_sent, 1),
				       updated_at = now()
				WHERE id = :id AND status = 'UPLOADING'""")
			.param("messageId", messageId)
			.param("id", exportId)
			.update();
	}

	public void recordChunkSent(long exportId, int chunk) {
		this.jdbc.sql("UPDATE dps_exports SET mesh_chunks_sent = greatest(mesh_chunks_sent, :k), updated_at = now() "
				+ "WHERE id = :id").param("k", chunk).param("id", exportId).update();
	}

	public void markUploaded(long exportId, String messageId) {
		this.jdbc.sql("UPDATE dps_exports SET status = 'UPLOADED', mesh_message_id = :messageId, uploaded_at = now(), "
				+ "updated_at = now() WHERE id = :id AND status IN ('WRITTEN', 'UPLOADING')")
			.param("messageId", messageId)
			.param("id", exportId)
			.update();
	}

	/** A programme's exports that still hold records, oldest first. */
	public List<DpsExport> unfinished(Programme programme) {
		return this.jdbc.sql(SELECT_EXPORT + " WHERE p.type = :programme AND e.status IN " + UNFINISHED
				+ " ORDER BY e.run_date")
			.param("programme", programme.type())
			.query(ExportRepository::mapExport)
			.list();
	}

	/** Sent exports whose delivery MESH has not yet confirmed or refused. */
	public List<DpsExport> awaitingDelivery() {
		return this.jdbc.sql(SELECT_EXPORT + " WHERE e.status = 'SENT' AND e.mesh_message_id IS NOT NULL ORDER BY e.id")
			.query(ExportRepository::mapExport)
			.list();
	}

	public void recordTracking(long exportId, String meshStatus, ExportStatus status) {
		this.jdbc.sql("UPDATE dps_exports SET mesh_status = :meshStatus, status = :status, updated_at = now(), "
				+ "acknowledged_at = CASE WHEN :status = 'ACKNOWLEDGED' THEN coalesce(acknowledged_at, now()) "
				+ "ELSE acknowledged_at END WHERE id = :id")
			.param("meshStatus", meshStatus)
			.param("status", status.name())
			.param("id", exportId)
			.update();
	}

	/**
	 * Records that DPS now has the export's records at their claimed versions, and releases them:
	 * one row, because "delivered" is read from the export's status (see dps_delivered_records).
	 * Rejected records are left unsent. Idempotent: an export already SENT or later is unchanged.
	 * Returns whether this call made the change.
	 */
	public boolean markSent(long exportId) {
		return this.jdbc.sql("UPDATE dps_exports SET status = 'SENT', sent_at = now(), updated_at = now() "
				+ "WHERE id = :id AND status IN " + UNFINISHED)
			.param("id", exportId)
			.update() == 1;
	}

	private static final String SELECT_EXPORT = """
			SELECT e.id, e.local_id, p.type, e.run_date, e.status, e.file_name, e.file_path, e.claimed_count,
			       e.row_count, e.reject_count, e.file_size_bytes, e.file_sha256, e.mesh_message_id,
			       e.mesh_first_post_at, e.mesh_chunks_sent
			FROM dps_exports e JOIN programmes p ON p.id = e.programme_id""";

	private static DpsExport mapExport(ResultSet rs, int row) throws SQLException {
		OffsetDateTime firstPostAt = rs.getObject("mesh_first_post_at", OffsetDateTime.class);
		return new DpsExport(rs.getLong("id"), rs.getObject("local_id", UUID.class), Programme.parse(rs.getString("type")),
				rs.getObject("run_date", LocalDate.class), ExportStatus.valueOf(rs.getString("status")),
				rs.getString("file_name"), Path.of(rs.getString("file_path")), rs.getInt("claimed_count"),
				(Integer) rs.getObject("row_count"), (Integer) rs.getObject("reject_count"),
				(Long) rs.getObject("file_size_bytes"), rs.getString("file_sha256"), rs.getString("mesh_message_id"),
				firstPostAt == null ? null : firstPostAt.toInstant(), rs.getInt("mesh_chunks_sent"));
	}

}

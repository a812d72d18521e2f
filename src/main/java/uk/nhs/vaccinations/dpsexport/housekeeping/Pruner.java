package uk.nhs.vaccinations.dpsexport.housekeeping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code prune} command: removes what years of nights leave behind and nothing the exporter
 * still needs. Three kinds, each by its own retention setting:
 * <ul>
 * <li>DPS files of finished exports (SENT, ACKNOWLEDGED, UNDELIVERABLE). An unfinished export's
 * file is what its restart uploads, so it stays.</li>
 * <li>Rows of {@code dps_export_records} (and their rejects) that a later, acknowledged delivery
 * of the same record has superseded. What DPS last got of a record decides the next file's action, and an
 * undelivered or rejected record is owed until a later delivery, so only superseded rows go.</li>
 * <li>Spring Batch's record of job instances whose last execution completed (or was abandoned).
 * A failed instance stays: it may be restarted.</li>
 * </ul>
 * A dry run counts what would go, in the same transaction shape, and rolls it back.
 */
@Component
public class Pruner {

	private static final String FINISHED = "('SENT', 'ACKNOWLEDGED', 'UNDELIVERABLE')";

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RetentionProperties retention;

	private final Clock clock;

	public Pruner(JdbcClient jdbc, PlatformTransactionManager transactionManager, RetentionProperties retention,
			Clock clock) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.retention = retention;
		this.clock = clock;
	}

	/** What a prune removed, or would remove. */
	public record Pruned(int files, long fileBytes, int exportRecords, int rejects, int jobInstances, int jobExecutions,
			boolean dryRun) {

		@Override
		public String toString() {
			return (this.dryRun ? "Would remove" : "Removed") + ": " + this.files + " DPS files (" + this.fileBytes
					+ " bytes); " + this.exportRecords + " superseded export record rows and " + this.rejects
					+ " of their rejects; " + this.jobInstances + " completed job instances (" + this.jobExecutions
					+ " executions)" + (this.dryRun ? ". Nothing was removed: run 'prune --apply' to remove them." : ".");
		}

	}

	public Pruned prune(boolean dryRun) {
		OffsetDateTime now = OffsetDateTime.now(this.clock).withOffsetSameInstant(ZoneOffset.UTC);
		List<Path> files = this.jdbc.sql("SELECT file_path FROM dps_exports WHERE status IN " + FINISHED
				+ " AND created_at < :before ORDER BY id")
			.param("before", now.minus(this.retention.files()))
			.query(String.class)
			.list()
			.stream()
			.map(Path::of)
			.filter(Files::isRegularFile)
			.toList();
		long bytes = files.stream().mapToLong(Pruner::size).sum();
		int[] counts = new int[4];
		this.transaction.executeWithoutResult(status -> {
			counts[0] = superseded(now.minus(this.retention.exportRecords()));
			counts[1] = this.jdbc.sql("""
					DELETE FROM dps_export_rejects r USING superseded s
					WHERE r.export_id = s.export_id AND r.vaccination_record_id = s.vaccination_record_id""").update();
			this.jdbc.sql("""
					DELETE FROM dps_export_records er USING superseded s
					WHERE er.export_id = s.export_id AND er.vaccination_record_id = s.vaccination_record_id""").update();
			int[] jobs = completedJobs(now.minus(this.retention.jobHistory()));
			counts[2] = jobs[0];
			counts[3] = jobs[1];
			if (dryRun) {
				status.setRollbackOnly();
			}
		});
		if (!dryRun) {
			for (Path file : files) {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Could not delete " + file, ex);
				}
			}
		}
		return new Pruned(files.size(), bytes, counts[0], counts[1], counts[2], counts[3], dryRun);
	}

	/**
	 * Into a temporary table: the rows of finished exports created before {@code before} whose record
	 * DPS got again later, in an export DPS has acknowledged (a SENT one may yet turn out
	 * undeliverable, and the earlier row would then be what DPS last got) that did not reject it.
	 */
	private int superseded(OffsetDateTime before) {
		return this.jdbc.sql("""
				CREATE TEMPORARY TABLE superseded ON COMMIT DROP AS
				SELECT er.export_id, er.vaccination_record_id
				FROM dps_export_records er JOIN dps_exports e ON e.id = er.export_id
				WHERE e.status IN""" + " " + FINISHED + """
				  AND e.created_at < :before
				  AND EXISTS (SELECT 1 FROM dps_export_records later JOIN dps_exports le ON le.id = later.export_id
				              WHERE later.vaccination_record_id = er.vaccination_record_id
				                AND later.export_id > er.export_id AND le.status = 'ACKNOWLEDGED'
				                AND NOT EXISTS (SELECT 1 FROM dps_export_rejects r
				                                WHERE r.export_id = later.export_id
				                                  AND r.vaccination_record_id = later.vaccination_record_id))""")
			.param("before", before)
			.update();
	}

	/** Job instances whose every execution ended before {@code before}, the last completed or abandoned. */
	private int[] completedJobs(OffsetDateTime before) {
		this.jdbc.sql("""
				CREATE TEMPORARY TABLE old_instances ON COMMIT DROP AS
				SELECT i.job_instance_id FROM batch_job_instance i
				WHERE NOT EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id
				                  AND (e.end_time IS NULL OR e.end_time >= :before))
				  AND (SELECT e.status FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id
				       ORDER BY e.job_execution_id DESC LIMIT 1) IN ('COMPLETED', 'ABANDONED')""")
			.param("before", before.toLocalDateTime())
			.update();
		String executions = "(SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id IN "
				+ "(SELECT job_instance_id FROM old_instances))";
		this.jdbc.sql("DELETE FROM batch_step_execution_context WHERE step_execution_id IN (SELECT step_execution_id "
				+ "FROM batch_step_execution WHERE job_execution_id IN " + executions + ")").update();
		this.jdbc.sql("DELETE FROM batch_step_execution WHERE job_execution_id IN " + executions).update();
		this.jdbc.sql("DELETE FROM batch_job_execution_context WHERE job_execution_id IN " + executions).update();
		this.jdbc.sql("DELETE FROM batch_job_execution_params WHERE job_execution_id IN " + executions).update();
		int deletedExecutions = this.jdbc.sql("DELETE FROM batch_job_execution WHERE job_instance_id IN "
				+ "(SELECT job_instance_id FROM old_instances)").update();
		this.jdbc.sql("DELETE FROM dps_run_leases WHERE job_instance_id IN (SELECT job_instance_id FROM old_instances)")
			.update();
		int deletedInstances = this.jdbc.sql("DELETE FROM batch_job_instance WHERE job_instance_id IN "
				+ "(SELECT job_instance_id FROM old_instances)").update();
		return new int[] { deletedInstances, deletedExecutions };
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

}

package uk.nhs.vaccinations.dpsexport.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.export.job.DpsFiles;
import uk.nhs.vaccinations.dpsexport.export.job.ExportJob;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;

/** prune removes old history, and never anything that changes what the next export sends. */
@PostgresTest
@TestPropertySource(properties = "dps.output-dir=target/test-dps-files/PrunerTest")
class PrunerTest {

	@Autowired
	Pruner pruner;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	Job dpsExportJob;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ExportRepository exports;

	TestData data;

	long session;

	long patient;

	@BeforeEach
	void setUp() {
		this.data = new TestData(this.jdbc);
		this.data.reset();
		this.session = this.data.session(this.data.organisation("R1L"), this.data.school("123456"), "hpv");
		this.patient = this.data.patient();
	}

	@Test
	void aDryRunRemovesNothingAndPruningChangesNothingTheNextExportSends() throws Exception {
		long twiceSent = record();
		long owed = record();
		record();
		// dose 10: DPS would refuse the row, so every export rejects it and it stays owed
		this.data.record(this.patient, this.session, "gardasil_9").doseSequence(10).insert();
		night(1);
		acknowledge(1);
		this.data.touch(twiceSent);
		this.data.touch(owed);
		night(2);
		acknowledge(2);
		this.data.touch(owed);
		night(3);
		// MESH could not deliver night 3's file: the owed record's change is still DPS's to get
		this.jdbc.sql("UPDATE dps_exports SET status = 'UNDELIVERABLE' WHERE run_date = ?").param(day(3)).update();
		List<Path> files = this.jdbc.sql("SELECT file_path FROM dps_exports ORDER BY id").query(String.class).list()
			.stream().map(Path::of).toList();
		// all of it long ago
		this.jdbc.sql("UPDATE dps_exports SET created_at = created_at - interval '500 days'").update();
		this.jdbc.sql("UPDATE batch_job_execution SET create_time = create_time - interval '500 days', "
				+ "start_time = start_time - interval '500 days', end_time = end_time - interval '500 days'").update();
		List<String> pendingBefore = pending();
		long rowsBefore = count("dps_export_records");
		long rejectsBefore = count("dps_export_rejects");

		Pruner.Pruned dryRun = this.pruner.prune(true);

		assertThat(dryRun.files()).isEqualTo(3);
		assertThat(dryRun.exportRecords()).isEqualTo(2);
		assertThat(dryRun.jobInstances()).isEqualTo(3);
		assertThat(dryRun.toString()).startsWith("Would remove: 3 DPS files").contains("Nothing was removed");
		assertThat(count("dps_export_records")).isEqualTo(rowsBefore);
		assertThat(count("batch_job_instance")).isEqualTo(3);
		assertThat(files).allMatch(Files::isRegularFile);

		Pruner.Pruned applied = this.pruner.prune(false);

		assertThat(applied).isEqualTo(new Pruner.Pruned(dryRun.files(), dryRun.fileBytes(), dryRun.exportRecords(),
				dryRun.rejects(), dryRun.jobInstances(), dryRun.jobExecutions(), false));
		// night 1's rows of the two records night 2 delivered again, acknowledged; nothing else
		assertThat(count("dps_export_records")).isEqualTo(rowsBefore - 2);
		assertThat(count("dps_export_rejects")).isEqualTo(rejectsBefore);
		assertThat(count("batch_job_instance")).isZero();
		assertThat(files).noneMatch(Files::isRegularFile);
		assertThat(pending()).isEqualTo(pendingBefore);

		night(4);
		assertThat(rows(4)).containsExactly(this.data.uuid(owed) + " update");
		assertThat(this.exports.find(Programme.HPV, day(4)).orElseThrow().rejectCount()).isEqualTo(1);
		assertThat(this.pruner.prune(false).exportRecords()).isZero();
	}

	private long record() {
		return this.data.record(this.patient, this.session, "gardasil_9").insert();
	}

	private void night(int n) throws Exception {
		assertThat(this.jobOperator.start(this.dpsExportJob, ExportJob.parameters(Programme.HPV, day(n))).getStatus())
			.isEqualTo(BatchStatus.COMPLETED);
	}

	private void acknowledge(int n) {
		this.jdbc.sql("UPDATE dps_exports SET status = 'ACKNOWLEDGED', acknowledged_at = now() WHERE run_date = ?")
			.param(day(n)).update();
	}

	private static LocalDate day(int n) {
		return LocalDate.of(2026, 11, 22).plusDays(n);
	}

	/** What the next HPV export would claim, and as what. */
	private List<String> pending() {
		return this.jdbc.sql(ExportSelection.pendingRecordsQuery() + " ORDER BY 1")
			.param("programmeId", this.jdbc.sql("SELECT id FROM programmes WHERE type = 'hpv'").query(Long.class).single())
			.param("since", java.time.OffsetDateTime.parse("0001-01-01T00:00:00Z"))
			.query((rs, i) -> rs.getLong(1) + " " + rs.getString(2))
			.list();
	}

	private List<String> rows(int n) throws Exception {
		List<Map<String, String>> rows = DpsFiles.read(this.exports.find(Programme.HPV, day(n)).orElseThrow().filePath());
		return rows.stream().map(r -> r.get("UNIQUE_ID") + " " + r.get("ACTION_FLAG")).toList();
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

}

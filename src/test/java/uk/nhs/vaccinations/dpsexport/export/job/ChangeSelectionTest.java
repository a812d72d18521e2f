package uk.nhs.vaccinations.dpsexport.export.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import uk.nhs.vaccinations.dpsexport.dps.DpsReceiver;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;

/**
 * The nightly claim looks only at what changed since the last one, and still misses nothing: not a
 * record written by a transaction that commits after the claim, not a record moved between
 * programmes; and a record moved while another programme's claim holds it is claimed once. No overlap here, so only the claim's own reasoning keeps these records.
 */
@PostgresTest
@TestPropertySource(properties = { "dps.output-dir=target/test-dps-files/ChangeSelectionTest", "dps.change-overlap=0s" })
class ChangeSelectionTest {

	static final LocalDate NIGHT_1 = LocalDate.of(2026, 11, 23);

	static final LocalDate NIGHT_2 = LocalDate.of(2026, 11, 24);

	@Autowired
	JobOperator jobOperator;

	@Autowired
	Job dpsExportJob;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	ExportRepository exports;

	@Autowired
	ExportSelection selection;

	@Autowired
	ExportProperties properties;

	@Autowired
	PlatformTransactionManager transactionManager;

	TestData data;

	long hpvSession;

	long fluSession;

	long patient;

	@BeforeEach
	void setUp() {
		this.data = new TestData(this.jdbc);
		this.data.reset();
		long org = this.data.organisation("R1L");
		long school = this.data.school("123456");
		this.hpvSession = this.data.session(org, school, "hpv");
		this.fluSession = this.data.session(org, school, "flu");
		this.patient = this.data.patient();
	}

	@Test
	void aRecordWhoseTransactionCommitsAfterTheClaimGoesTheNextNight() throws Exception {
		long early = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		long late;
		// the vaccination service's other connection: a transaction that began before the claim,
		// writes a record stamped with its start, and commits once the claim has read past it
		try (Connection service = this.dataSource.getConnection()) {
			service.setAutoCommit(false);
			TestData serviceData = new TestData(JdbcClient.create(new SingleConnectionDataSource(service, true)));
			late = serviceData.record(this.patient, this.hpvSession, "gardasil_9").insert();
			Thread.sleep(20);

			assertThat(run(Programme.HPV, NIGHT_1).getStatus()).isEqualTo(BatchStatus.COMPLETED);

			service.commit();
		}
		OffsetDateTime stamped = this.jdbc.sql("SELECT updated_at FROM vaccination_records WHERE id = ?").param(late)
			.query(OffsetDateTime.class).single();
		OffsetDateTime claimed = this.jdbc.sql("SELECT created_at FROM dps_exports ORDER BY id LIMIT 1")
			.query(OffsetDateTime.class).single();
		// the record is older than the claim that could not see it
		assertThat(stamped).isBefore(claimed);
		assertThat(rows(Programme.HPV, NIGHT_1)).containsExactly(uuid(early) + " new");

		assertThat(run(Programme.HPV, NIGHT_2).getStatus()).isEqualTo(BatchStatus.COMPLETED);

		assertThat(rows(Programme.HPV, NIGHT_2)).containsExactly(uuid(late) + " new");
	}

	@Test
	void aRecordMovedToAnotherProgrammeGoesInThatProgrammesFileAsAnUpdate() throws Exception {
		long record = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		run(Programme.HPV, NIGHT_1);
		moveToFlu(record);

		JobExecution flu = run(Programme.FLU, NIGHT_2);
		JobExecution hpv = run(Programme.HPV, NIGHT_2);

		assertThat(rows(Programme.FLU, NIGHT_2)).containsExactly(uuid(record) + " update");
		assertThat(RunOutcome.of(hpv)).isEqualTo(RunOutcome.NOTHING_TO_SEND);
		assertThat(RunOutcome.of(flu)).isEqualTo(RunOutcome.COMPLETED);
		// DPS holds the record from the HPV file, so it takes the update in the Flu file
		DpsReceiver dps = new DpsReceiver();
		for (DpsExport export : List.of(this.exports.find(Programme.HPV, NIGHT_1).orElseThrow(),
				this.exports.find(Programme.FLU, NIGHT_2).orElseThrow())) {
			var message = DpsExportJobTest.delivered(export);
			assertThat(dps.receive(message.fileName, message.payload()).clean()).as(export.fileName()).isTrue();
		}
	}

	@Test
	void aRecordMovedWhileAnotherProgrammeClaimsItIsClaimedOnce() throws Exception {
		long record = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		CountDownLatch hpvClaimed = new CountDownLatch(1);
		CountDownLatch commitHpv = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			// HPV's claim takes the record and has not committed yet
			Future<?> hpv = threads.submit(() -> new TransactionTemplate(this.transactionManager).executeWithoutResult(tx -> {
				this.selection.lockClaims();
				long id = this.exports.create(Programme.HPV, NIGHT_1, this.properties.supplierOdsCode(),
						Instant.now(), this.properties.outputDir()).id();
				this.selection.claim(id, Programme.HPV);
				hpvClaimed.countDown();
				await(commitHpv);
			}));
			await(hpvClaimed);
			// the vaccination service moves it to Flu meanwhile, and Flu's claim starts
			moveToFlu(record);
			Future<JobExecution> flu = threads.submit(() -> run(Programme.FLU, NIGHT_1));
			// Flu's claim waits for HPV's to commit
			Awaitility.await("Flu's claim waiting for the claim lock").atMost(Duration.ofSeconds(20))
				.until(() -> this.jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
					.query(Integer.class).single() == 1);
			assertThat(flu).isNotDone();

			commitHpv.countDown();
			hpv.get(30, TimeUnit.SECONDS);

			assertThat(RunOutcome.of(flu.get(30, TimeUnit.SECONDS))).isEqualTo(RunOutcome.NOTHING_TO_SEND);
			assertThat(this.jdbc.sql("SELECT count(*) FROM dps_export_records WHERE vaccination_record_id = ?")
				.param(record).query(Integer.class).single()).as("exports holding the record").isEqualTo(1);
		}
		finally {
			commitHpv.countDown();
			threads.shutdownNow();
		}
	}

	@Test
	void aRecordMovedWhileAnotherProgrammesUnfinishedExportHoldsItGoesOnceThatExportIsSent() throws Exception {
		long record = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		// HPV's export claims the record and is not sent yet (its upload failed, say)
		new TransactionTemplate(this.transactionManager).executeWithoutResult(tx -> {
			this.selection.lockClaims();
			long id = this.exports.create(Programme.HPV, NIGHT_1, this.properties.supplierOdsCode(), Instant.now(),
					this.properties.outputDir()).id();
			this.selection.claim(id, Programme.HPV);
		});
		moveToFlu(record);
		assertThat(RunOutcome.of(run(Programme.FLU, NIGHT_1))).as("Flu, while HPV holds the record")
			.isEqualTo(RunOutcome.NOTHING_TO_SEND);
		// HPV's restart sends the record as it was claimed
		assertThat(RunOutcome.of(run(Programme.HPV, NIGHT_1))).isEqualTo(RunOutcome.COMPLETED);

		assertThat(RunOutcome.of(run(Programme.FLU, NIGHT_2))).isEqualTo(RunOutcome.COMPLETED);

		assertThat(rows(Programme.HPV, NIGHT_1)).containsExactly(uuid(record) + " new");
		assertThat(rows(Programme.FLU, NIGHT_2)).containsExactly(uuid(record) + " update");
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aQuietNightLooksOnlyAtWhatChanged() throws Exception {
		for (int i = 0; i < 50; i++) {
			this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		}
		long changed = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		run(Programme.HPV, NIGHT_1);
		this.data.touch(changed);

		run(Programme.HPV, NIGHT_2);

		assertThat(rows(Programme.HPV, NIGHT_2)).containsExactly(uuid(changed) + " update");
		DpsExport second = this.exports.find(Programme.HPV, NIGHT_2).orElseThrow();
		assertThat(second.claimedCount()).isEqualTo(1);
	}

	@Test
	void aClaimOfATenthOrMoreOfTheRowsLeavesThePlannerCountingThem() {
		forgetStatistics(-1);
		for (int i = 0; i < 30; i++) {
			this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		}

		claim(Programme.HPV, NIGHT_1);

		// the file step's COPY is planned for 30 rows of this export, not for an empty table
		assertThat(this.jdbc.sql("SELECT reltuples FROM pg_class WHERE oid = 'dps_export_records'::regclass")
			.query(Double.class).single()).isEqualTo(30);
		assertThat(this.jdbc.sql("SELECT count(*) FROM pg_stats WHERE tablename = 'dps_export_records' AND attname = 'export_id'")
			.query(Integer.class).single()).isEqualTo(1);
	}

	@Test
	void aSmallClaimBesideManyCountedRowsLeavesTheStatisticsToAutovacuum() {
		forgetStatistics(1_000_000);
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();

		claim(Programme.HPV, NIGHT_1);

		assertThat(this.jdbc.sql("SELECT reltuples FROM pg_class WHERE oid = 'dps_export_records'::regclass")
			.query(Double.class).single()).isEqualTo(1_000_000);
	}

	/** As after a TRUNCATE, or a table the planner last counted at {@code reltuples} rows (-1: never). */
	private void forgetStatistics(double reltuples) {
		this.jdbc.sql("DELETE FROM pg_statistic WHERE starelid = 'dps_export_records'::regclass").update();
		this.jdbc.sql("UPDATE pg_class SET reltuples = ? WHERE oid = 'dps_export_records'::regclass").param(reltuples)
			.update();
	}

	private void claim(Programme programme, LocalDate runDate) {
		new TransactionTemplate(this.transactionManager).executeWithoutResult(tx -> {
			this.selection.lockClaims();
			long id = this.exports.create(programme, runDate, this.properties.supplierOdsCode(), Instant.now(),
					this.properties.outputDir()).id();
			this.selection.claim(id, programme);
		});
	}

	/** What the vaccination service does when a record was entered under the wrong programme. */
	private void moveToFlu(long record) {
		this.jdbc.sql("""
				UPDATE vaccination_records
				SET programme_id = (SELECT id FROM programmes WHERE type = 'flu'), session_id = ?,
				    vaccine_id = (SELECT id FROM vaccines WHERE key = 'fluenz_tetra'), delivery_site = 'nose',
				    delivery_method = 'nasal_spray', updated_at = now()
				WHERE id = ?""").params(this.fluSession, record).update();
	}

	private JobExecution run(Programme programme, LocalDate night) throws Exception {
		return this.jobOperator.start(this.dpsExportJob, ExportJob.parameters(programme, night));
	}

	private List<String> rows(Programme programme, LocalDate night) throws Exception {
		List<Map<String, String>> rows = DpsFiles.read(this.exports.find(programme, night).orElseThrow().filePath());
		return rows.stream().map(r -> r.get("UNIQUE_ID") + " " + r.get("ACTION_FLAG")).toList();
	}

	private String uuid(long recordId) {
		return this.data.uuid(recordId).toString();
	}

}

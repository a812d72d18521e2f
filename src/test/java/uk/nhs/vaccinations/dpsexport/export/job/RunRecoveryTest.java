package uk.nhs.vaccinations.dpsexport.export.job;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.export.job.ExportLauncher.ProgrammeResult;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;
import uk.nhs.vaccinations.dpsexport.support.TestMesh;

import static org.assertj.core.api.Assertions.assertThat;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/** Runs the database failed under, or a process left half-made, recover by themselves: never twice, never stuck. */
@PostgresTest
@TestPropertySource(properties = "dps.output-dir=target/test-dps-files/RunRecoveryTest")
class RunRecoveryTest {

	static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

	@Autowired
	ExportLauncher launcher;

	@Autowired
	ExportRepository exports;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	javax.sql.DataSource dataSource;

	MeshSandbox sandbox = TestMesh.sandbox();

	TestData data;

	@BeforeEach
	void setUp() {
		this.data = new TestData(this.jdbc);
		this.data.reset();
		this.jdbc.sql("TRUNCATE dps_run_leases").update();
		this.sandbox.reset();
		long session = this.data.session(this.data.organisation("R1L"), this.data.school("123456"), "hpv");
		long patient = this.data.patient();
		this.data.record(patient, session, "gardasil_9").insert();
		this.data.record(patient, session, "gardasil_9").insert();
	}

	@Test
	void aLiveRunWhoseDatabaseSessionsWereAllDroppedIsNotTakenForDead() throws Exception {
		// MESH takes 4 s over the first POST; meanwhile every database session is cut, as a restart does
		this.sandbox.delayNext(1, Duration.ofSeconds(4), MeshSandbox.post("/outbox"));
		CompletableFuture<ProgrammeResult> first = CompletableFuture
			.supplyAsync(() -> this.launcher.export(Programme.HPV, MONDAY));
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> this.exports.find(Programme.HPV, MONDAY)
			.map(e -> e.meshFirstPostAt() != null)
			.orElse(false));
		this.jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND pid <> pg_backend_pid()").query().listOfRows();

		ProgrammeResult second = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(second.outcome()).as(second.detail()).isEqualTo(RunOutcome.ALREADY_RUNNING);
		assertThat(second.detail()).contains("holds its lease until");
		first.get(60, TimeUnit.SECONDS);
		// whatever the first run's end, a later run finishes the export: one message, never two
		ProgrammeResult later = this.launcher.export(Programme.HPV, MONDAY);
		assertThat(later.outcome()).as(later.detail()).isIn(RunOutcome.COMPLETED, RunOutcome.ALREADY_COMPLETE);
		assertThat(this.exports.find(Programme.HPV, MONDAY).orElseThrow().status()).isEqualTo(ExportStatus.SENT);
		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).hasSize(1);
	}

	@Test
	void aRunThatHasJustFinishedIsNotTakenForDeadBeforeItsFinalStatusIsSaved() throws Exception {
		// the first run's final status update waits (a trigger holds it) while a second export starts
		this.jdbc.sql("CREATE FUNCTION test_hold_final() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
				+ "PERFORM pg_advisory_xact_lock(4243); RETURN NEW; END $$").update();
		this.jdbc.sql("CREATE TRIGGER test_hold_final BEFORE UPDATE ON batch_job_execution FOR EACH ROW "
				+ "WHEN (NEW.status = 'COMPLETED') EXECUTE FUNCTION test_hold_final()").update();
		try (java.sql.Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			holder.createStatement().execute("SELECT pg_advisory_xact_lock(4243)");
			CompletableFuture<ProgrammeResult> first = CompletableFuture
				.supplyAsync(() -> this.launcher.export(Programme.HPV, MONDAY));
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("SELECT count(*) FROM "
					+ "pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'UPDATE BATCH_JOB_EXECUTION%'")
				.query(Long.class)
				.single() > 0);

			ProgrammeResult second = this.launcher.export(Programme.HPV, MONDAY);

			assertThat(second.outcome()).as(second.detail()).isEqualTo(RunOutcome.ALREADY_RUNNING);
			holder.rollback();
			assertThat(first.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunOutcome.COMPLETED);
		}
		finally {
			this.jdbc.sql("DROP TRIGGER IF EXISTS test_hold_final ON batch_job_execution").update();
			this.jdbc.sql("DROP FUNCTION IF EXISTS test_hold_final()").update();
		}
		assertThat(this.jdbc.sql("SELECT status FROM batch_job_execution").query(String.class).list())
			.as("nothing rewrote the finished run").containsExactly("COMPLETED");
		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).hasSize(1);
	}

	@Test
	void anExecutionLeftUnknownWithAStepStillStartedIsRecoveredAndFinishedByTheNextExport() {
		this.sandbox.failNext(100, 429, MeshSandbox.post("/outbox"));
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.FAILED);
		this.sandbox.reset();
		// what a database outage at the end of a run leaves behind
		this.jdbc.sql("UPDATE batch_job_execution SET status = 'UNKNOWN', exit_code = 'UNKNOWN'").update();
		this.jdbc.sql("UPDATE batch_step_execution SET status = 'STARTED', end_time = NULL WHERE step_name = 'upload'")
			.update();

		ProgrammeResult recovered = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(recovered.outcome()).as(recovered.detail()).isEqualTo(RunOutcome.COMPLETED);
		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).hasSize(1);
	}

	@Test
	void aJobInstanceAKilledProcessLeftWithoutAnyExecutionStartsAfresh() throws Exception {
		this.jobRepository.createJobInstance(ExportJob.NAME, ExportJob.parameters(Programme.HPV,
				MONDAY));

		ProgrammeResult result = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(result.outcome()).as(result.detail()).isEqualTo(RunOutcome.COMPLETED);
		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).hasSize(1);
	}

}

package uk.nhs.vaccinations.dpsexport.export.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.cli.StatusReport;
import uk.nhs.vaccinations.dpsexport.dps.DpsReceiver;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.export.job.ExportLauncher.ProgrammeResult;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.mesh.MeshSettings;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;
import uk.nhs.vaccinations.dpsexport.support.TestMesh;

import static org.assertj.core.api.Assertions.assertThat;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/** The export command across programmes and nights, tracking, handshake and status, in process. */
@PostgresTest
@TestPropertySource(properties = "dps.output-dir=target/test-dps-files/ExportPipelineTest")
class ExportPipelineTest {

	static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

	static final LocalDate TUESDAY = LocalDate.of(2026, 11, 24);

	@Autowired
	ExportLauncher launcher;

	@Autowired
	ExportRepository exports;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	@Qualifier("dpsTrackJob")
	Job trackJob;

	@Autowired
	@Qualifier("meshValidateMailboxJob")
	Job handshakeJob;

	@Autowired
	StatusReport status;

	@TempDir
	Path dir;

	TestData data;

	MeshSandbox sandbox = TestMesh.sandbox();

	long hpvSession;

	long fluSession;

	long patient;

	@BeforeEach
	void setUp() {
		this.data = new TestData(this.jdbc);
		this.data.reset();
		this.sandbox.reset();
		long org = this.data.organisation("R1L");
		long school = this.data.school("123456");
		this.hpvSession = this.data.session(org, school, "hpv");
		this.fluSession = this.data.session(org, school, "flu");
		this.patient = this.data.patient();
	}

	@Test
	void oneProgrammesMeshFailureDoesNotStopTheOthers() {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		this.data.record(this.patient, this.fluSession, "fluenz_tetra").site("nose").method("nasal_spray").insert();
		this.sandbox.failNext(100, 503, ex -> String.valueOf(ex.getRequestHeaders().getFirst("mex-FileName"))
			.startsWith("HPV_Vaccinations_v5_"));

		List<ProgrammeResult> results = this.launcher.exportAll(MONDAY, EnumSet.of(Programme.HPV, Programme.FLU));

		assertThat(results).extracting(ProgrammeResult::programme, ProgrammeResult::outcome)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Programme.HPV, RunOutcome.FAILED),
					org.assertj.core.groups.Tuple.tuple(Programme.FLU, RunOutcome.COMPLETED));
		assertThat(results).filteredOn(r -> r.programme() == Programme.HPV).singleElement()
			.satisfies(r -> assertThat(r.detail()).contains("HTTP 503"));
		assertThat(this.exports.find(Programme.FLU, MONDAY).orElseThrow().status()).isEqualTo(ExportStatus.SENT);
		assertThat(this.exports.find(Programme.HPV, MONDAY).orElseThrow().status()).isEqualTo(ExportStatus.UPLOADING);
	}

	@Test
	void aRestartedUploadHashesTheFileAgainAndRefusesOneChangedSinceItWasSealed() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		this.sandbox.failNext(100, 503, MeshSandbox.post("/outbox"));
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.FAILED);
		this.sandbox.reset();
		DpsExport export = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		byte[] bytes = java.nio.file.Files.readAllBytes(export.filePath());
		// The same size, one byte different: only hashing the file again finds it.
		bytes[bytes.length - 3] ^= 1;
		java.nio.file.Files.write(export.filePath(), bytes);

		ProgrammeResult restarted = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(restarted.outcome()).isEqualTo(RunOutcome.FAILED);
		assertThat(restarted.detail()).contains(export.filePath().toString()).contains("changed since it was sealed");
		assertThat(this.sandbox.messages()).isEmpty();
	}

	@Test
	void anUploadRefusesAFileDpsWouldRejectSendsNothingAndSendsOnceTheCauseIsFixed() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		// The export ends up under a name DPS rejects, as an older version of the exporter named them.
		this.jdbc.sql("""
				CREATE FUNCTION test_old_file_name() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN NEW.file_name := 'Vaccinations-HPV-2026-11-23.csv'; RETURN NEW; END $$""").update();
		this.jdbc.sql("""
				CREATE TRIGGER test_old_file_name BEFORE UPDATE ON dps_exports FOR EACH ROW
				WHEN (NEW.status = 'WRITTEN') EXECUTE FUNCTION test_old_file_name()""").update();
		ProgrammeResult refused;
		try {
			refused = this.launcher.export(Programme.HPV, MONDAY);
		}
		finally {
			this.jdbc.sql("DROP TRIGGER test_old_file_name ON dps_exports").update();
			this.jdbc.sql("DROP FUNCTION test_old_file_name()").update();
		}

		assertThat(refused.outcome()).isEqualTo(RunOutcome.FAILED);
		assertThat(refused.detail()).contains("DPS would reject")
			.contains("its name is wrong")
			.contains("Vaccinations-HPV-2026-11-23.csv")
			.contains("it was not sent");
		assertThat(this.sandbox.messages()).as("nothing reached MESH").isEmpty();
		DpsExport export = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		assertThat(export.status()).as("nothing was marked as uploading").isEqualTo(ExportStatus.WRITTEN);

		// The cause fixed (the name the export was created with), a restart checks again and sends.
		String created = export.filePath().getFileName().toString();
		this.jdbc.sql("UPDATE dps_exports SET file_name = ? WHERE id = ?").params(created, export.id()).update();
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.COMPLETED);

		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).singleElement().satisfies(message -> {
			assertThat(message.fileName).isEqualTo(created);
			assertThat(new DpsReceiver().receive(message.fileName, message.payload()).clean()).isTrue();
		});
	}

	@Test
	void aSealedFileLostBeforeAnyOfItWasSentIsWrittenAgainByTheNextRun() throws Exception {
		long record = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		// MESH refuses every try without storing anything: nothing of the file has gone
		this.sandbox.failNext(100, 429, MeshSandbox.post("/outbox"));
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.FAILED);
		this.sandbox.reset();
		DpsExport sealed = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		java.nio.file.Files.delete(sealed.filePath());

		ProgrammeResult found = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(found.outcome()).isEqualTo(RunOutcome.FAILED);
		assertThat(found.detail()).contains("is missing or changed since it was sealed, and none of it had gone to MESH")
			.contains("writes the file again");
		assertThat(this.exports.find(Programme.HPV, MONDAY).orElseThrow().status()).isEqualTo(ExportStatus.CLAIMED);

		ProgrammeResult rebuilt = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(rebuilt.outcome()).as(rebuilt.detail()).isEqualTo(RunOutcome.COMPLETED);
		DpsExport sent = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		assertThat(sent.status()).isEqualTo(ExportStatus.SENT);
		assertThat(sent.fileName()).as("the name it was created with").isEqualTo(sealed.fileName());
		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).singleElement()
			.satisfies(m -> assertThat(new String(m.payload(), StandardCharsets.UTF_8))
				.contains(this.data.uuid(record).toString()));
	}

	@Test
	void aSealedFileLostAfterItsUploadStartedIsRefusedWithWhatToDo() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		// a 503 may come after MESH stored it: the upload has (perhaps) started
		this.sandbox.failNext(1, 503, MeshSandbox.post("/outbox"));
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.FAILED);
		DpsExport started = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		java.nio.file.Files.delete(started.filePath());

		ProgrammeResult refused = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(refused.outcome()).isEqualTo(RunOutcome.FAILED);
		assertThat(refused.detail()).contains("after its upload had started")
			.contains("restore it from a backup (its SHA-256 must be " + started.fileSha256() + ")");
		assertThat(this.exports.find(Programme.HPV, MONDAY).orElseThrow().status()).isEqualTo(ExportStatus.UPLOADING);
	}

	@Test
	void theNextNightRestartsTheFailedExportFirstAndSendsEachRecordOnce() {
		long monday = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		// 429: MESH refused the message without storing it, so the next run may send it at once
		this.sandbox.failNext(100, 429, MeshSandbox.post("/outbox"));
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.FAILED);
		this.sandbox.reset();
		long tuesday = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();

		ProgrammeResult result = this.launcher.export(Programme.HPV, TUESDAY);

		assertThat(result.outcome()).isEqualTo(RunOutcome.COMPLETED);
		DpsExport mondayExport = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		DpsExport tuesdayExport = this.exports.find(Programme.HPV, TUESDAY).orElseThrow();
		assertThat(mondayExport.status()).isEqualTo(ExportStatus.SENT);
		assertThat(tuesdayExport.status()).isEqualTo(ExportStatus.SENT);
		assertThat(uniqueIds(mondayExport)).containsExactly(this.data.uuid(monday).toString());
		assertThat(uniqueIds(tuesdayExport)).containsExactly(this.data.uuid(tuesday).toString());
		// Monday's restart reused its instance: one instance per programme and night.
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance WHERE job_name = 'dpsExportJob'")
			.query(Long.class)
			.single()).isEqualTo(2);
		assertThat(this.launcher.export(Programme.HPV, LocalDate.of(2026, 11, 25)).outcome())
			.isEqualTo(RunOutcome.NOTHING_TO_SEND);
	}

	@Test
	void anUncertainFirstPostIsNotSentAgainBeforeTheSettleTimeAndThenGoesExactlyOnce() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		// a 503 may come after MESH stored the message: its outcome is unknown
		this.sandbox.failNext(1, 503, MeshSandbox.post("/outbox"));

		ProgrammeResult first = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
		assertThat(first.detail()).contains("not sent again now");
		DpsExport uncertain = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		assertThat(uncertain.status()).isEqualTo(ExportStatus.UPLOADING);
		assertThat(uncertain.meshMessageId()).as("never a missing id stored as one").isNull();
		assertThat(uncertain.meshFirstPostAt()).isNotNull();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.status.print(new PrintStream(out, true, StandardCharsets.UTF_8), 10);
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("upload uncertain since")
			.contains("sent again only if MESH has none from");

		ProgrammeResult tooSoon = this.launcher.export(Programme.HPV, MONDAY);

		assertThat(tooSoon.outcome()).isEqualTo(RunOutcome.FAILED);
		assertThat(tooSoon.detail()).contains("is not sent again yet").contains("mesh.send-settle-time (PT20M)");
		assertThat(this.sandbox.messages()).as("nothing was sent again").isEmpty();

		// the settle time has passed and MESH still has no message with the local id
		this.jdbc.sql("UPDATE dps_exports SET mesh_first_post_at = mesh_first_post_at - interval '21 minutes'").update();
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.COMPLETED);

		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).singleElement()
			.satisfies(m -> assertThat(m.localId).isEqualTo(uncertain.localId().toString()));
	}

	@Test
	void aMessageMeshStoredWhoseReplyWasLostIsAdoptedNotSentTwice() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		this.sandbox.loseNextResponse(MeshSandbox.post("/outbox"));

		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.COMPLETED);

		DpsExport export = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		assertThat(this.sandbox.messagesTo(TestMesh.DPS)).singleElement()
			.satisfies(m -> assertThat(m.id).isEqualTo(export.meshMessageId()));
		assertThat(export.status()).isEqualTo(ExportStatus.SENT);
	}

	@Test
	void trackingRecordsWhenDpsAcknowledges() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		this.launcher.export(Programme.HPV, MONDAY);
		DpsExport export = this.exports.find(Programme.HPV, MONDAY).orElseThrow();

		assertThat(run(this.trackJob).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.exports.get(export.id()).status()).isEqualTo(ExportStatus.SENT);

		try (MeshClient dps = new MeshClient(MeshSettings.to(this.sandbox.baseUrl()).mailbox(TestMesh.DPS, "password")
			.build())) {
			assertThat(dps.listInbox()).contains(export.meshMessageId());
			dps.download(export.meshMessageId(), this.dir.resolve("received.csv"));
			dps.acknowledge(export.meshMessageId());
		}
		JobExecution tracked = run(this.trackJob);

		assertThat(tracked.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.jdbc.sql("SELECT status, mesh_status, acknowledged_at IS NOT NULL AS ack FROM dps_exports WHERE id = ?")
			.param(export.id())
			.query()
			.singleRow()).containsEntry("status", "ACKNOWLEDGED").containsEntry("mesh_status", "acknowledged")
			.containsEntry("ack", true);
	}

	@Test
	void theTwoProgrammesWhoseLastExportsWereLargestClaimFirstAndTheRestWaitForTheLargestsClaim() {
		long menacwySession = this.data.session(this.data.organisation("R2X"), this.data.school("654321"), "menacwy");
		Set<Programme> three = EnumSet.of(Programme.HPV, Programme.FLU, Programme.MENACWY);
		for (int i = 0; i < 3; i++) {
			this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		}
		for (int i = 0; i < 2; i++) {
			this.data.record(this.patient, this.fluSession, "fluenz_tetra").site("nose").method("nasal_spray").insert();
		}
		this.data.record(this.patient, menacwySession, "menquadfi").insert();
		assertThat(this.exports.largestFirst(three)).as("no exports yet: the usual order")
			.containsExactly(Programme.FLU, Programme.HPV, Programme.MENACWY);
		this.launcher.exportAll(MONDAY, three);
		assertThat(this.exports.largestFirst(three)).as("HPV's export was the largest, then Flu's")
			.containsExactly(Programme.HPV, Programme.FLU, Programme.MENACWY);
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		this.data.record(this.patient, this.fluSession, "fluenz_tetra").site("nose").method("nasal_spray").insert();
		this.data.record(this.patient, menacwySession, "menquadfi").insert();

		List<ProgrammeResult> results = this.launcher.exportAll(TUESDAY, three);

		assertThat(results).extracting(ProgrammeResult::outcome).containsOnly(RunOutcome.COMPLETED);
		assertThat(this.jdbc.sql("""
				SELECT (SELECT s.end_time FROM batch_step_execution s
				        JOIN batch_job_execution_params p ON p.job_execution_id = s.job_execution_id
				        WHERE s.step_name = 'claim' AND p.parameter_name = 'programme' AND p.parameter_value = 'hpv'
				          AND s.job_execution_id IN (SELECT job_execution_id FROM batch_job_execution_params
				                                     WHERE parameter_name = 'runDate' AND parameter_value = '2026-11-24'))
				    <= (SELECT e.create_time FROM batch_job_execution e
				        JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
				        WHERE p.parameter_name = 'programme' AND p.parameter_value = 'menacwy'
				          AND e.job_execution_id IN (SELECT job_execution_id FROM batch_job_execution_params
				                                     WHERE parameter_name = 'runDate' AND parameter_value = '2026-11-24'))""")
			.query(Boolean.class)
			.single()).as("HPV's claim had ended when MenACWY's export was created").isTrue();
	}

	@Test
	void recordsOfAnExportMeshReportsUndeliverableAreSentAgainByTheNextRun() throws Exception {
		long sent = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		long changed = this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		assertThat(this.launcher.export(Programme.HPV, MONDAY).outcome()).isEqualTo(RunOutcome.COMPLETED);
		DpsExport monday = this.exports.find(Programme.HPV, MONDAY).orElseThrow();
		this.sandbox.expire(monday.meshMessageId());
		assertThat(run(this.trackJob).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.exports.get(monday.id()).status()).isEqualTo(ExportStatus.UNDELIVERABLE);
		this.jdbc.sql("UPDATE vaccination_records SET updated_at = updated_at + interval '1 hour' WHERE id = ?")
			.param(changed)
			.update();

		assertThat(this.launcher.export(Programme.HPV, TUESDAY).outcome()).isEqualTo(RunOutcome.COMPLETED);

		// DPS never had Monday's file, so both records go again as new, the changed one at its new version.
		DpsExport tuesday = this.exports.find(Programme.HPV, TUESDAY).orElseThrow();
		assertThat(uniqueIds(tuesday)).containsExactlyInAnyOrder(this.data.uuid(sent).toString(),
				this.data.uuid(changed).toString());
		assertThat(this.exports.countByAction(tuesday.id())).containsExactly(Map.entry("new", 2));
		assertThat(this.launcher.export(Programme.HPV, LocalDate.of(2026, 11, 25)).outcome())
			.isEqualTo(RunOutcome.NOTHING_TO_SEND);
	}

	@Test
	void handshakeJobValidatesTheMailboxAndStatusShowsTheRuns() throws Exception {
		this.data.record(this.patient, this.hpvSession, "gardasil_9").insert();
		this.launcher.export(Programme.HPV, MONDAY);

		JobExecution handshake = run(this.handshakeJob);

		assertThat(handshake.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(handshake.getStepExecutions()).singleElement()
			.satisfies(s -> assertThat(s.getExecutionContext().getString("mailboxId")).isEqualTo("X26ABC1"));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.status.print(new PrintStream(out, true, StandardCharsets.UTF_8), 10);
		String report = out.toString(StandardCharsets.UTF_8);
		assertThat(report).contains("meshValidateMailboxJob").contains("dpsExportJob")
			.contains("programme=hpv runDate=2026-11-23")
			.contains(this.exports.find(Programme.HPV, MONDAY).orElseThrow().fileName())
			.contains(this.exports.find(Programme.HPV, MONDAY).orElseThrow().meshMessageId())
			.doesNotContain("password")
			.doesNotContain(MeshSandbox.SHARED_KEY);
	}

	private JobExecution run(Job job) throws Exception {
		return this.jobOperator.start(job,
				new JobParametersBuilder().addLocalDateTime("run.at", LocalDateTime.now(Clock.systemUTC()))
					.toJobParameters());
	}

	private List<String> uniqueIds(DpsExport export) {
		try {
			return DpsFiles
				.parse(new java.io.StringReader(
						new String(DpsExportJobTest.delivered(export).payload(), StandardCharsets.UTF_8)))
				.stream()
				.map(r -> r.get("UNIQUE_ID"))
				.toList();
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

}

package uk.nhs.vaccinations.dpsexport.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash matrix: the real jar is SIGKILLed at each dangerous point of an export,
 * then its execution is restarted. Every claimed record must reach the DPS mailbox exactly
 * once, and a later run must send nothing again. The pause before each kill is made from
 * outside the process (a table lock it must wait for, or a sandbox that stalls), so the
 * production code carries no test hooks.
 */
class CrashRestartIT extends SandboxedIT {

	enum CrashPoint {

		/** Blocked inside the claim transaction, on the INSERT of the export's records. */
		WHILE_CLAIMING,
		/** Some chunks of the file committed, blocked inside a later chunk's transaction. */
		MID_FILE,
		/** The file written, blocked inside the seal's transaction (its restart seals in a later execution). */
		MID_SEAL,
		/** Two chunks of a chunked message uploaded, the third stalled. */
		MID_CHUNKED_UPLOAD,
		/** MESH stored the message, but its reply (the message id) never arrived. */
		AFTER_MESH_ACCEPTED_BEFORE_ID_STORED,
		/** Blocked inside the mark transaction. */
		MID_MARKING

	}

	@ParameterizedTest
	@EnumSource(CrashPoint.class)
	void aKillAtAnyPointThenARestartDeliversEveryRecordOnce(CrashPoint point) throws Exception {
		sandbox.reset();
		E2eEnvironment env = new E2eEnvironment("crash_" + point.name().toLowerCase(), sandbox, this.outputDir);
		if (point == CrashPoint.MID_CHUNKED_UPLOAD) {
			env.app.arg("--mesh.chunk-size=16KB");
		}
		env.seed(2000, 11);
		if (point == CrashPoint.MID_FILE) {
			// A bad record halfway through: writing its reject is where the process will wait.
			env.jdbc.sql("""
					UPDATE vaccination_records SET delivery_site = 'left_ear' WHERE id = (
					  SELECT vr.id FROM vaccination_records vr JOIN programmes p ON p.id = vr.programme_id
					  WHERE p.type = 'hpv' AND vr.outcome = 'administered' AND vr.session_id IS NOT NULL
					    AND vr.discarded_at IS NULL ORDER BY vr.id OFFSET 250 LIMIT 1)""").update();
		}
		List<String> expected = env.jdbc.sql("""
				SELECT vr.uuid || ' new' FROM vaccination_records vr JOIN programmes p ON p.id = vr.programme_id
				WHERE p.type = 'hpv' AND vr.outcome = 'administered' AND vr.session_id IS NOT NULL
				  AND vr.discarded_at IS NULL AND vr.delivery_site <> 'left_ear'""").query(String.class).list();
		assertThat(expected).hasSizeGreaterThan(300);

		Connection blocker = switch (point) {
			case WHILE_CLAIMING -> env.lock("dps_export_records", "SHARE");
			case MID_FILE -> env.lock("dps_export_rejects", "SHARE");
			case MID_SEAL -> env.pauseUpdates("dps_exports", "NEW.status = 'WRITTEN'");
			case MID_MARKING -> env.pauseUpdates("dps_exports", "NEW.status = 'SENT'");
			default -> null;
		};
		if (point == CrashPoint.MID_CHUNKED_UPLOAD) {
			sandbox.delayNext(1, Duration.ofMinutes(2), MeshSandbox.post("/outbox/[^/]+/3"));
		}
		if (point == CrashPoint.AFTER_MESH_ACCEPTED_BEFORE_ID_STORED) {
			sandbox.delayResponseOnNext(1, Duration.ofMinutes(2), MeshSandbox.post("/outbox"));
		}

		Process export = env.app.start("export", "--programme=hpv", "--run-date=2026-11-24");
		switch (point) {
			case WHILE_CLAIMING -> E2eEnvironment.await("the claim to block",
					() -> env.backendWaitingOnLock("WITH claimed AS (INSERT INTO dps_export_records"));
			case MID_FILE -> E2eEnvironment.await("the file step to block on a reject",
					() -> env.backendWaitingOnLock("INSERT INTO dps_export_rejects"));
			case MID_SEAL -> E2eEnvironment.await("the seal to block",
					() -> env.backendWaitingOnLock("UPDATE dps_exports SET status = 'WRITTEN'"));
			case MID_MARKING -> E2eEnvironment.await("marking to block",
					() -> env.backendWaitingOnLock("UPDATE dps_exports SET status = 'SENT'"));
			case MID_CHUNKED_UPLOAD -> E2eEnvironment.await("two chunks to arrive",
					() -> sandbox.messages().stream().anyMatch(m -> m.chunksReceived() >= 2));
			case AFTER_MESH_ACCEPTED_BEFORE_ID_STORED -> E2eEnvironment.await("MESH to accept the message",
					() -> sandbox.messages().stream().anyMatch(m -> m.status().equals("accepted")));
		}
		assertThat(export.isAlive()).as("the export is paused at %s", point).isTrue();

		env.app.kill(export);
		if (blocker != null) {
			blocker.rollback();
			blocker.close();
		}
		if (point == CrashPoint.MID_MARKING || point == CrashPoint.MID_SEAL) {
			env.removePause("dps_exports");
		}
		sandbox.behave();
		env.awaitNoAppSessions();
		env.awaitNoLiveLease();
		if (point == CrashPoint.MID_FILE) {
			assertThat(env.jdbc.sql("SELECT count(*) FROM batch_step_execution WHERE step_name = 'write' AND commit_count > 0")
				.query(Long.class)
				.single()).as("some chunks were committed before the kill").isEqualTo(1);
		}
		assertThat(env.jdbc.sql("SELECT status FROM batch_job_execution ORDER BY job_execution_id DESC LIMIT 1")
			.query(String.class)
			.single()).as("a SIGKILLed execution stays STARTED in the job repository").isEqualTo("STARTED");
		if (point == CrashPoint.MID_CHUNKED_UPLOAD) {
			assertThat(gzippedChunks()).as("the killed upload left its gzipped chunks behind").isNotEmpty();
		}

		// The DPS file name was fixed when the export was created (inside the claim, so a kill there undoes it).
		List<String> namedBeforeTheKill = env.jdbc.sql("SELECT file_name FROM dps_exports").query(String.class).list();
		assertThat(namedBeforeTheKill).hasSize(point == CrashPoint.WHILE_CLAIMING ? 0 : 1);

		AppProcess.Result restart = env.app.run("restart", String.valueOf(env.latestExecution("dpsExportJob")));

		assertThat(restart.exitCode()).as(restart.output()).isZero();
		assertThat(restart.output()).contains("no process holds its lease");
		if (point == CrashPoint.MID_SEAL) {
			// the file was written by the killed execution: the restart reads it again and checks it
			// against the hash its writer handed over, rather than trusting it
			assertThat(restart.output()).contains("still hashes as its writer wrote it");
		}
		assertThat(env.deliveredRows()).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
		assertThat(sandbox.messagesTo("X26ABC2")).as("one MESH message for the export").hasSize(1);
		String deliveredAs = sandbox.messagesTo("X26ABC2").get(0).fileName;
		assertThat(deliveredAs).matches("HPV_Vaccinations_v5_V0V8L_\\d{8}T\\d{6}0[01]\\.csv");
		if (!namedBeforeTheKill.isEmpty()) {
			assertThat(deliveredAs).as("delivered under the name it was created with").isEqualTo(namedBeforeTheKill.get(0));
		}
		assertThat(env.jdbc.sql("SELECT status FROM dps_exports").query(String.class).list()).containsExactly("SENT");
		assertThat(gzippedChunks()).as("the restart cleared them").isEmpty();

		AppProcess.Result later = env.app.run("export", "--programme=hpv", "--run-date=2026-11-25");

		assertThat(later.exitCode()).as(later.output()).isZero();
		assertThat(sandbox.messagesTo("X26ABC2")).as("nothing is sent again").hasSize(1);
	}

	private List<Path> gzippedChunks() throws IOException {
		try (Stream<Path> files = Files.walk(this.outputDir)) {
			return files.filter(f -> f.getFileName().toString().contains(".mesh-chunk-")).toList();
		}
	}

}

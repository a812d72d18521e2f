package uk.nhs.vaccinations.dpsexport.e2e;

import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import uk.nhs.vaccinations.dpsexport.dps.DpsReceiver;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills we did not choose: night after night of a chunked export, each with some records changed,
 * the jar is SIGKILLed at a random moment (start-up, claim, file, seal, upload, marking), then the
 * next night's export runs, which first finishes whatever the killed one left. In the end every
 * export is sent once: one MESH message each, carrying exactly its sealed file, and DPS's side
 * accepts every file and every row in the order they arrived (no record new twice, no update for
 * a record it does not hold).
 */
class RandomKillsIT extends SandboxedIT {

	static final int NIGHTS = 12;

	@Test
	void everyExportIsSentOnceWhateverMomentTheProcessDies() throws Exception {
		long seed = Long.getLong("kills.seed", System.nanoTime());
		System.out.println("RandomKillsIT seed " + seed + " (-Dkills.seed=" + seed + " replays it)");
		Random random = new Random(seed);
		E2eEnvironment env = new E2eEnvironment("random_kills", sandbox, this.outputDir);
		// a kill mid-POST leaves an uncertain upload; this sandbox stores what it gets at once, so 2 s settles it
		env.app.arg("--mesh.chunk-size=16KB").arg("--mesh.send-settle-time=2s");
		env.seed(1200, 9);
		LocalDate night = LocalDate.of(2026, 11, 1);
		int kills = 0;
		// the moment is drawn from the span of a run, as long as the last run that finished took
		long span = 7_000;
		for (int n = 0; n < NIGHTS; n++, night = night.plusDays(1)) {
			// the vaccination service edits some records each day: updates for the next export
			env.jdbc.sql("UPDATE vaccination_records SET updated_at = updated_at + interval '1 hour' WHERE id % 9 = ?")
				.param(n % 9)
				.update();
			long started = System.nanoTime();
			Process export = env.app.start("export", "--programme=hpv", "--run-date=" + night);
			long dieAfter = 300 + random.nextInt((int) span);
			if (export.waitFor(dieAfter, java.util.concurrent.TimeUnit.MILLISECONDS)
					|| !env.app.killUnlessEnded(export)) {
				// it finished before its moment came (or as it came): later moments fall within a run like it
				span = Math.max(1_000, (System.nanoTime() - started) / 1_000_000);
				continue;
			}
			kills++;
			env.awaitNoAppSessions();
			env.awaitNoLiveLease();
		}
		AppProcess.Result last = env.app.run("export", "--programme=hpv", "--run-date=" + night);
		assertThat(last.exitCode()).as(last.output()).isZero();
		System.out.println("RandomKillsIT: " + kills + " kills over " + NIGHTS + " nights");
		assertThat(kills).as("kills at random moments happened").isGreaterThan(NIGHTS / 3);

		List<Map<String, Object>> exports = env.jdbc.sql("""
				SELECT local_id::text AS local_id, status, file_sha256, mesh_message_id, row_count FROM dps_exports
				ORDER BY id""").query().listOfRows();
		assertThat(exports).allSatisfy(e -> assertThat(e.get("status")).as("export %s", e.get("local_id"))
			.isEqualTo("SENT"));
		List<MeshSandbox.Message> messages = sandbox.messagesTo("X26ABC2");
		assertThat(messages).as("one MESH message per export with rows")
			.hasSize((int) exports.stream().filter(e -> ((Number) e.get("row_count")).intValue() > 0).count());
		DpsReceiver dps = new DpsReceiver();
		for (MeshSandbox.Message message : messages) {
			Map<String, Object> export = exports.stream()
				.filter(e -> e.get("local_id").equals(message.localId))
				.findFirst()
				.orElseThrow(() -> new AssertionError("a message no export sent: " + message.localId));
			assertThat(message.id).isEqualTo(export.get("mesh_message_id"));
			assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(message.payload())))
				.as("message %s carries exactly its sealed file", message.id)
				.isEqualTo(export.get("file_sha256"));
			DpsReceiver.Verdict verdict = dps.receive(message.fileName, message.payload());
			assertThat(verdict.clean()).as("DPS's verdict: %s", verdict).isTrue();
		}
	}

}

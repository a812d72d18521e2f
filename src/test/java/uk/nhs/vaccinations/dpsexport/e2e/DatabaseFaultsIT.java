package uk.nhs.vaccinations.dpsexport.e2e;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar while its database goes away and comes back, as a restart does: new
 * connections refused for a moment and every session cut. Nothing is sent twice, a live run is
 * not taken for dead, and the next export finishes what was left.
 */
class DatabaseFaultsIT extends SandboxedIT {

	/** What a restart of PostgreSQL does to one database: down for {@code downFor}, every session gone. */
	static void restartDatabase(E2eEnvironment env, Duration downFor) throws Exception {
		String database = env.jdbc.sql("SELECT current_database()").query(String.class).single();
		try (Connection admin = TestPostgres.server().getPostgresDatabase().getConnection();
				Statement sql = admin.createStatement()) {
			sql.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
			sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
			Thread.sleep(downFor.toMillis());
			sql.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
		}
	}

	@Test
	void restartedMidUploadWithASecondExportStartedMeanwhileNothingIsSentTwice() throws Exception {
		sandbox.reset();
		E2eEnvironment env = new E2eEnvironment("db_restart_upload", sandbox, this.outputDir);
		env.app.arg("--mesh.chunk-size=64KB").arg("--dps.run-lease-ttl=15s");
		env.seed(1500, 3);
		List<String> expected = env.hpvRecords();
		// MESH takes 20 s over chunk 2: the database restarts, and a second export starts (a JVM takes some
		// seconds), while the first run still waits for it
		sandbox.delayNext(1, Duration.ofSeconds(20), MeshSandbox.post("/outbox/[^/]+/2"));
		Process first = env.app.start("export", "--programme=hpv", "--run-date=2026-11-24");
		E2eEnvironment.await("MESH to name the message", () -> sessionSafe(env,
				"SELECT count(*) FROM dps_exports WHERE mesh_message_id IS NOT NULL") == 1);

		restartDatabase(env, Duration.ofMillis(1500));
		AppProcess.Result second = env.app.run("export", "--programme=hpv", "--run-date=2026-11-24");

		assertThat(second.exitCode()).as(second.output()).isEqualTo(3);
		assertThat(second.output()).contains("holds its lease until");
		assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the first run ended").isTrue();
		env.awaitNoLiveLease();
		AppProcess.Result later = env.app.run("export", "--programme=hpv", "--run-date=2026-11-24");
		assertThat(later.exitCode()).as(later.output()).isZero();
		assertThat(env.deliveredRows()).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
		assertThat(sandbox.messagesTo("X26ABC2")).as("one message").hasSize(1);
		assertThat(env.jdbc.sql("SELECT status FROM dps_exports").query(String.class).single()).isEqualTo("SENT");
	}

	@Test
	void restartedMidFileTheNextExportFinishesIt() throws Exception {
		sandbox.reset();
		E2eEnvironment env = new E2eEnvironment("db_restart_write", sandbox, this.outputDir);
		env.seed(1500, 5);
		List<String> expected = env.hpvRecords();
		// the file step waits inside a chunk (on a table lock) when the database restarts
		Connection blocker = env.lock("dps_export_rejects", "SHARE");
		env.jdbc.sql("""
				UPDATE vaccination_records SET delivery_site = 'left_ear' WHERE id = (
				  SELECT vr.id FROM vaccination_records vr JOIN programmes p ON p.id = vr.programme_id
				  WHERE p.type = 'hpv' AND vr.outcome = 'administered' AND vr.session_id IS NOT NULL
				    AND vr.discarded_at IS NULL ORDER BY vr.id OFFSET 150 LIMIT 1)""").update();
		String rejected = env.jdbc.sql("SELECT uuid || ' new' FROM vaccination_records WHERE delivery_site = 'left_ear'")
			.query(String.class)
			.single();
		Process first = env.app.start("export", "--programme=hpv", "--run-date=2026-11-24");
		E2eEnvironment.await("the file step to block on a reject",
				() -> env.backendWaitingOnLock("INSERT INTO dps_export_rejects"));

		restartDatabase(env, Duration.ofMillis(1500));
		closeQuietly(blocker);

		assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the run that lost its database ended").isTrue();
		env.awaitNoLiveLease();
		AppProcess.Result next = env.app.run("export", "--programme=hpv", "--run-date=2026-11-24");
		assertThat(next.exitCode()).as(next.output()).isZero();
		assertThat(env.deliveredRows()).containsExactlyInAnyOrderElementsOf(
				expected.stream().filter(row -> !row.equals(rejected)).toList()).doesNotHaveDuplicates();
		assertThat(sandbox.messagesTo("X26ABC2")).hasSize(1);
	}

	@Test
	void aChunkedExportCompletesWhereSessionsIdleInATransactionForTwoSecondsAreKilled() throws Exception {
		sandbox.reset();
		E2eEnvironment env = new E2eEnvironment("idle_in_transaction", sandbox, this.outputDir);
		env.app.arg("--mesh.chunk-size=64KB");
		env.seed(1500, 4);
		List<String> expected = env.hpvRecords();
		String database = env.jdbc.sql("SELECT current_database()").query(String.class).single();
		try (Connection admin = TestPostgres.server().getPostgresDatabase().getConnection();
				Statement sql = admin.createStatement()) {
			// what a DBA sets on a busy database: a session idle in a transaction for 2 s is ended
			sql.execute("ALTER DATABASE " + database + " SET idle_in_transaction_session_timeout = '2s'");
		}
		// MESH takes 5 s over every part of the upload
		sandbox.delayNext(20, Duration.ofSeconds(5), exchange -> exchange.getRequestMethod().equals("POST"));

		AppProcess.Result run = env.app.run("export", "--programme=hpv", "--run-date=2026-11-24");

		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(sandbox.messagesTo("X26ABC2")).singleElement().satisfies(m -> assertThat(m.chunkCount).isGreaterThan(2));
		assertThat(env.deliveredRows()).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
	}

	/** A count, or -1 while the database is away. */
	static long sessionSafe(E2eEnvironment env, String countQuery) {
		try {
			return env.jdbc.sql(countQuery).query(Long.class).single();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// its session was cut with the rest
		}
	}

}

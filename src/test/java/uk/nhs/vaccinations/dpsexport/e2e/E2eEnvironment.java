package uk.nhs.vaccinations.dpsexport.e2e;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import uk.nhs.vaccinations.dpsexport.demo.DemoDataGenerator;
import uk.nhs.vaccinations.dpsexport.dps.DpsReceiver;
import uk.nhs.vaccinations.dpsexport.export.job.DpsFiles;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/** A fresh database, the shared sandbox and an app configured for both, for one end-to-end test. */
final class E2eEnvironment {

	final String url;

	final JdbcClient jdbc;

	final DriverManagerDataSource dataSource;

	final MeshSandbox sandbox;

	final AppProcess app;

	E2eEnvironment(String name, MeshSandbox sandbox, Path outputDir) {
		this(name, sandbox, sandbox.baseUrl(), outputDir);
	}

	/** With the app talking to MESH at {@code meshUrl}: a fault-injecting proxy in front of the sandbox. */
	E2eEnvironment(String name, MeshSandbox sandbox, java.net.URI meshUrl, Path outputDir) {
		this.url = TestPostgres.createDatabase(name);
		this.dataSource = TestPostgres.inspect(this.url);
		this.jdbc = JdbcClient.create(this.dataSource);
		this.sandbox = sandbox;
		this.app = new AppProcess(name).arg("--spring.datasource.url=" + this.url)
			.arg("--spring.datasource.username=postgres")
			.arg("--dps.output-dir=" + outputDir)
			.arg("--dps.chunk-size=100")
			.arg("--dps.run-lease-ttl=3s")
			.arg("--dps.demo.enabled=true")
			.arg("--mesh.base-url=" + meshUrl)
			.arg("--mesh.mailbox=X26ABC1")
			.arg("--mesh.dps-mailbox=X26ABC2")
			.arg("--mesh.initial-backoff=20ms")
			.arg("--mesh.max-backoff=100ms")
			.env("MESH_JOBS_ENABLED", "true")
			.env("MESH_PASSWORD", "password")
			.env("MESH_SHARED_KEY", MeshSandbox.SHARED_KEY);
	}

	/**
	 * The exporter's tables, the vaccination service's and {@code records} made-up records from
	 * {@code seed}: what {@code generate-demo-data} leaves, written from the test with the same
	 * migrations and generator, since a launch of the jar adds nothing to a test about another launch.
	 */
	void seed(int records, long seed) {
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration").schemas("dps_export")
			.defaultSchema("dps_export").createSchemas(true).load().migrate();
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/source-schema").schemas("public")
			.table("demo_source_schema_history").load().migrate();
		new DemoDataGenerator(this.dataSource, this.jdbc,
				new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)))
			.generate(records, seed);
	}

	/** Holds a table lock in an open transaction; the returned connection releases it on close. */
	Connection lock(String table, String mode) throws SQLException {
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(false);
		connection.createStatement().execute("LOCK TABLE " + table + " IN " + mode + " MODE");
		return connection;
	}

	/**
	 * Makes each update of {@code table} whose rows match {@code when} (a trigger condition on OLD
	 * and NEW) wait inside its statement until the returned connection ends its transaction: a pause
	 * in the application made from outside it. {@link #removePause} takes the trigger away.
	 */
	Connection pauseUpdates(String table, String when) throws SQLException {
		this.jdbc.sql("""
				CREATE FUNCTION e2e_pause() RETURNS trigger LANGUAGE plpgsql
				AS $$ BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$""").update();
		this.jdbc.sql("CREATE TRIGGER e2e_pause BEFORE UPDATE ON " + table + " FOR EACH ROW WHEN (" + when
				+ ") EXECUTE FUNCTION e2e_pause()").update();
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(false);
		connection.createStatement().execute("SELECT pg_advisory_xact_lock(4242)");
		return connection;
	}

	void removePause(String table) {
		this.jdbc.sql("DROP TRIGGER e2e_pause ON " + table).update();
		this.jdbc.sql("DROP FUNCTION e2e_pause()").update();
	}

	boolean backendWaitingOnLock(String queryStart) {
		return this.jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?")
			.param(queryStart + "%")
			.query(Long.class)
			.single() > 0;
	}

	/** After a kill, PostgreSQL may still be finishing the dead process's sessions. */
	void awaitNoAppSessions() {
		await("the killed process's database sessions to end", () -> this.jdbc
			.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dps-mesh-export' AND datname = current_database()")
			.query(Long.class)
			.single() == 0);
	}

	/** A killed run's lease lasts until it expires (dps.run-lease-ttl): only then is its execution taken for dead. */
	void awaitNoLiveLease() {
		await("the killed run's lease to expire", () -> this.jdbc
			.sql("SELECT count(*) FROM dps_run_leases WHERE expires_at > now()")
			.query(Long.class)
			.single() == 0);
	}

	/** What a first HPV export must deliver: every kept, administered session record, as new. */
	List<String> hpvRecords() {
		return this.jdbc.sql("""
				SELECT vr.uuid || ' new' FROM vaccination_records vr JOIN programmes p ON p.id = vr.programme_id
				WHERE p.type = 'hpv' AND vr.outcome = 'administered' AND vr.session_id IS NOT NULL
				  AND vr.discarded_at IS NULL""").query(String.class).list();
	}

	long latestExecution(String jobName) {
		return this.jdbc.sql("""
				SELECT max(e.job_execution_id) FROM batch_job_execution e
				JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE i.job_name = ?""")
			.param(jobName)
			.query(Long.class)
			.single();
	}

	/**
	 * Every (UNIQUE_ID, ACTION_FLAG) that reached the DPS mailbox, one entry per row received. Each
	 * complete message is first judged by DPS's side, in the order they arrived: every file must be
	 * accepted whole and every row recorded.
	 */
	List<String> deliveredRows() throws Exception {
		List<String> rows = new ArrayList<>();
		DpsReceiver dps = new DpsReceiver();
		for (MeshSandbox.Message message : this.sandbox.messagesTo("X26ABC2")) {
			if (!message.status().equals("uploading")) {
				DpsReceiver.Verdict verdict = dps.receive(message.fileName, message.payload());
				assertThat(verdict.clean()).as("DPS's verdict: %s", verdict).isTrue();
				for (Map<String, String> row : DpsFiles
					.parse(new StringReader(new String(message.payload(), StandardCharsets.UTF_8)))) {
					rows.add(row.get("UNIQUE_ID") + " " + row.get("ACTION_FLAG"));
				}
			}
		}
		return rows;
	}

	static void await(String what, BooleanSupplier condition) {
		Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
			.until(condition::getAsBoolean);
	}

}

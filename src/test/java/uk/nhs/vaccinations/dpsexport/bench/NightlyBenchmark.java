package uk.nhs.vaccinations.dpsexport.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/**
 * A night at national scale, after years of nights: N records with 200 nights of delivered
 * exports per programme behind them (built in SQL, not by running 800 exports), then a busy night
 * (0.1% of records changed, 0.1% new) and a quiet one (100 changed). For each, the claim's time
 * and plan, the whole export's wall time (start-up included), PostgreSQL's CPU and the database's
 * size. Prints figures; asserts nothing. Usage: scripts/bench --nightly [N ...] (default 1000000 10000000).
 */
final class NightlyBenchmark {

	private static final int NIGHTS = 200;

	private NightlyBenchmark() {
	}

	record Night(int records, String name, int changed, int added, long claimed, double claimSeconds,
			double exportSeconds, double postgresCpuSeconds, long databaseBytes, int exitCode) {
	}

	static void main(List<Integer> sizes) throws Exception {
		List<Integer> all = sizes.isEmpty() ? List.of(1_000_000, 10_000_000) : sizes;
		List<Night> nights = new java.util.ArrayList<>();
		try (MeshSandbox sandbox = MeshSandbox.http()) {
			for (int n : all) {
				nights.addAll(at(n, sandbox, Path.of("target", "bench", "nightly-" + n)));
			}
		}
		System.out.println();
		System.out.println("Nightly exports after " + NIGHTS + " nights of history per programme (2 cores):");
		System.out.printf(Locale.ROOT, "  %12s  %-6s %9s %9s %9s %9s %9s %9s %10s%n", "records", "night", "changed",
				"new", "claimed", "claim s", "export s", "PG cpu s", "db MB");
		for (Night night : nights) {
			System.out.printf(Locale.ROOT, "  %,12d  %-6s %,9d %,9d %,9d %9.2f %9.2f %9.2f %,10d%s%n", night.records(),
					night.name(), night.changed(), night.added(), night.claimed(), night.claimSeconds(),
					night.exportSeconds(), night.postgresCpuSeconds(), night.databaseBytes() / 1_000_000,
					night.exitCode() == 0 ? "" : "  (exit " + night.exitCode() + ")");
		}
	}

	static List<Night> at(int n, MeshSandbox sandbox, Path dir) throws Exception {
		Benchmark.deleteTree(dir);
		Files.createDirectories(dir);
		sandbox.reset();
		String url = TestPostgres.createDatabase("nightly_" + n);
		JdbcClient jdbc = JdbcClient.create(TestPostgres.inspect(url));
		List<String> common = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--dps.output-dir=" + dir.resolve("files"), "--mesh.base-url=" + sandbox.baseUrl(),
				"--mesh.mailbox=X26ABC1", "--mesh.dps-mailbox=X26ABC2", "--mesh.jobs-enabled=true");
		log("N=%,d: patients, sessions and 20,000 records from the demo generator", n);
		Benchmark.Run seed = Benchmark.jar(dir, "generate", common, "generate-demo-data", "--records=20000", "--seed=5",
				Benchmark.DEMO);
		if (seed.exitCode() != 0) {
			throw new IllegalStateException("generate-demo-data failed; see " + seed.log());
		}
		Benchmark.prepareLauncher(dir, common);
		long started = System.nanoTime();
		history(jdbc, n);
		log("N=%,d: records and %d nights of delivered history built in %.0f s", n, NIGHTS,
				(System.nanoTime() - started) / 1e9);
		Night busy = night(n, "busy", n / 1000, n / 1000, LocalDate.of(2026, 11, 24), jdbc, dir, common);
		Night quiet = night(n, "quiet", 100, 0, LocalDate.of(2026, 11, 25), jdbc, dir, common);
		return List.of(busy, quiet);
	}

	/**
	 * N records, each delivered by its programme's first export, and every night since then 0.1% of
	 * them changed and delivered again: the tables as 200 nights of exports leave them.
	 */
	static void history(JdbcClient jdbc, int n) {
		jdbc.sql(copies("now() - interval '300 days' + copy * interval '1 second'", "discarded_at",
				"vaccination_records, generate_series(2, ceil(:n / 20000.0)::int) copy")).param("n", n).update();
		jdbc.sql("DELETE FROM vaccination_records WHERE id > :n").param("n", n).update();
		// every record last written before the nights began
		jdbc.sql("UPDATE vaccination_records SET updated_at = now() - interval '300 days' WHERE id <= 20000").update();
		jdbc.sql("""
				INSERT INTO dps_exports (local_id, programme_id, run_date, status, file_name, file_path, claimed_count,
				                         row_count, reject_count, mesh_message_id, created_at, sent_at, changes_until)
				SELECT gen_random_uuid(), p.id, current_date - 300 + night, 'ACKNOWLEDGED',
				       'BENCH_' || p.type || '_' || night || '.csv', '/dev/null', 0, 0, 0,
				       'BENCH' || p.id || '_' || night, now() - interval '300 days' + night * interval '1 day',
				       now() - interval '300 days' + night * interval '1 day', now() - interval '1 day'
				FROM programmes p, generate_series(0, :nights) night""").param("nights", NIGHTS).update();
		// night 0: everything, as new
		jdbc.sql("""
				INSERT INTO dps_export_records (export_id, vaccination_record_id, action_flag, record_version)
				SELECT e.id, vr.id, 'new', vr.updated_at
				FROM vaccination_records vr JOIN dps_exports e ON e.programme_id = vr.programme_id
				 AND e.run_date = current_date - 300""").update();
		// nights 1..200: a thousandth of the records each (a fifth of them over all the nights)
		jdbc.sql("""
				INSERT INTO dps_export_records (export_id, vaccination_record_id, action_flag, record_version)
				SELECT e.id, vr.id, 'update', vr.updated_at
				FROM vaccination_records vr JOIN dps_exports e ON e.programme_id = vr.programme_id
				 AND e.run_date - (current_date - 300) = 1 + vr.id % :nights
				WHERE vr.id % 5 = 0 AND e.run_date > current_date - 300""").param("nights", NIGHTS).update();
		jdbc.sql("""
				UPDATE dps_exports e SET claimed_count = c.n, row_count = c.n
				FROM (SELECT export_id, count(*) n FROM dps_export_records GROUP BY 1) c WHERE c.export_id = e.id""")
			.update();
		jdbc.sql("""
				INSERT INTO dps_claim_watermarks (programme_id, changes_since, set_at)
				SELECT id, now() - interval '1 day', now() - interval '1 day' FROM programmes""").update();
		jdbc.sql("VACUUM ANALYZE").update();
		jdbc.sql("CHECKPOINT").update();
	}

	static Night night(int n, String name, int changed, int added, LocalDate runDate, JdbcClient jdbc, Path dir,
			List<String> common) throws Exception {
		int every = Math.max(1, n / Math.max(1, changed));
		jdbc.sql("UPDATE vaccination_records SET dose_sequence = dose_sequence, updated_at = now() WHERE id % :every = 7 "
				+ "AND id <= :n").param("every", every).param("n", (long) every * changed).update();
		if (added > 0) {
			jdbc.sql(copies("now()", "NULL", "vaccination_records WHERE id <= :added")).param("added", added).update();
		}
		jdbc.sql("ANALYZE vaccination_records").update();
		List<String> plan = Benchmark.claimPlan(jdbc, "flu");
		log("N=%,d, %s night: plan of the Flu claim's selection:", n, name);
		plan.forEach(line -> System.out.println("    " + line));
		long postmaster = Benchmark.postmasterPid(jdbc);
		double pgBefore = Benchmark.processTreeCpuSeconds(postmaster);
		Benchmark.Run export = Benchmark.jar(dir, "export-" + name, common, "export", "--run-date=" + runDate);
		double pgCpu = Benchmark.processTreeCpuSeconds(postmaster) - pgBefore;
		long claimed = jdbc.sql("SELECT coalesce(sum(claimed_count), 0) FROM dps_exports WHERE run_date = ?")
			.param(runDate).query(Long.class).single();
		double claimSeconds = jdbc.sql("""
				SELECT coalesce(max(extract(epoch FROM s.end_time - s.start_time)), 0)
				FROM batch_step_execution s JOIN batch_job_execution_params p ON p.job_execution_id = s.job_execution_id
				WHERE s.step_name = 'claim' AND p.parameter_name = 'runDate' AND p.parameter_value = ?""")
			.param(runDate.toString()).query(Double.class).single();
		long size = jdbc.sql("SELECT pg_database_size(current_database())").query(Long.class).single();
		log("N=%,d, %s night: %,d claimed; the slowest programme's claim %.2f s; export %.2f s; PostgreSQL %.2f CPU s; "
				+ "database %,d MB", n, name, claimed, claimSeconds, export.seconds(), pgCpu, size / 1_000_000);
		return new Night(n, name, changed, added, claimed, claimSeconds, export.seconds(), pgCpu, size,
				export.exitCode());
	}

	/** Copies of existing records under new UUIDs, with the given updated_at and discarded_at. */
	private static String copies(String updatedAt, String discardedAt, String from) {
		return """
				INSERT INTO vaccination_records (uuid, patient_id, programme_id, session_id, vaccine_id, batch_id, outcome,
				    delivery_site, delivery_method, dose_sequence, full_dose, performed_at, performed_by_user_id,
				    performed_by_given_name, performed_by_family_name, created_at, updated_at, discarded_at)
				SELECT gen_random_uuid(), patient_id, programme_id, session_id, vaccine_id, batch_id, outcome,
				    delivery_site, delivery_method, dose_sequence, full_dose, performed_at, performed_by_user_id,
				    performed_by_given_name, performed_by_family_name, created_at, %s, %s
				FROM %s""".formatted(updatedAt, discardedAt, from);
	}

	private static void log(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[nightly] " + format + "%n", args);
	}

}

package uk.nhs.vaccinations.dpsexport.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileCheck;
import uk.nhs.vaccinations.dpsexport.dps.DpsRowRules;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/**
 * The export benchmark: for each N, generate N records into a fresh database, then
 * time (1) PostgreSQL producing the same rows itself, COPY ... TO STDOUT piped through gzip, and
 * (2) the packaged jar's full {@code export} (claim, write, gzip, chunked upload to the local
 * MESH sandbox, mark) under -Xmx256m and Serial GC, as the launcher runs it, with its peak RSS
 * and peak heap. Prints figures; asserts nothing. Usage: scripts/bench [N ...] (default 100000 1000000).
 */
public final class Benchmark {

	/**
	 * Demo mode, for generating the records only: the export is measured as production launches it,
	 * without demo mode's migration of the source schema at start-up (about 0.4 s of it).
	 */
	static final String DEMO = "--dps.demo.enabled=true";

	/** The rows of a first export of everything, as the export query produces them. */
	static final String BASELINE_ROWS = """
			SELECT pa.nhs_number, pa.given_name, pa.family_name, to_char(pa.date_of_birth, 'YYYYMMDD'),
			       pa.gender_code, pa.address_postcode,
			       to_char(vr.performed_at AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"00"'), o.ods_code,
			       'https://fhir.nhs.uk/Id/ods-organization-code', vr.uuid,
			       'https://manage-vaccinations-in-schools.nhs.uk/vaccination-records', 'new',
			       CASE WHEN u.id IS NOT NULL THEN u.given_name ELSE vr.performed_by_given_name END,
			       CASE WHEN u.id IS NOT NULL THEN u.family_name ELSE vr.performed_by_family_name END,
			       to_char(vr.created_at AT TIME ZONE 'Europe/London', 'YYYYMMDD'), 'TRUE',
			       pr.snomed_procedure_code, pr.snomed_procedure_term, vr.dose_sequence,
			       v.snomed_product_code, v.snomed_product_term, v.manufacturer, b.name, to_char(b.expiry, 'YYYYMMDD'),
			       site.code, site.term, route.code, route.term,
			       CASE WHEN vr.full_dose THEN v.dose_volume_ml ELSE v.dose_volume_ml / 2 END,
			       '258773002', 'Milliliter (qualifier value)', '', coalesce(l.urn, l.ods_code),
			       CASE WHEN l.urn IS NOT NULL THEN 'https://fhir.hl7.org.uk/Id/urn-school-number'
			            ELSE 'https://fhir.nhs.uk/Id/ods-organization-code' END
			FROM vaccination_records vr
			JOIN programmes pr ON pr.id = vr.programme_id
			JOIN patients pa ON pa.id = vr.patient_id
			JOIN sessions se ON se.id = vr.session_id
			JOIN organisations o ON o.id = se.organisation_id
			LEFT JOIN locations l ON l.id = se.location_id
			LEFT JOIN vaccines v ON v.id = vr.vaccine_id
			LEFT JOIN batches b ON b.id = vr.batch_id
			LEFT JOIN users u ON u.id = vr.performed_by_user_id
			LEFT JOIN (VALUES ('left_arm_upper_position', '368208006', 'Left upper arm structure'),
			                  ('left_arm_lower_position', '368208006', 'Left upper arm structure'),
			                  ('right_arm_upper_position', '368209003', 'Right upper arm structure'),
			                  ('right_arm_lower_position', '368209003', 'Right upper arm structure'),
			                  ('nose', '279549004', 'Nasal cavity structure')) AS site (key, code, term)
			       ON site.key = vr.delivery_site
			LEFT JOIN (VALUES ('intramuscular', '78421000', 'Intramuscular'), ('subcutaneous', '34206005', 'Subcutaneous'),
			                  ('nasal_spray', '46713006', 'Nasal')) AS route (key, code, term)
			       ON route.key = vr.delivery_method
			WHERE vr.discarded_at IS NULL AND vr.outcome = 'administered'
			ORDER BY vr.programme_id, vr.id""";

	record Figures(int records, long rows, double baselineSeconds, double baselineCpuSeconds, long baselineGzipBytes,
			double jobSeconds, double jobCpuSeconds, double jobMachineCpuSeconds, double pgCpuSeconds,
			double sandboxCpuSeconds, long peakRssKb, long peakHeapMb,
			long liveHeapMb, long fileBytes, int chunks, int exitCode, String variant) {

		double ratio() {
			return this.jobSeconds / this.baselineSeconds;
		}

	}

	private Benchmark() {
	}

	public static void main(String[] args) throws Exception {
		List<Integer> sizes = new ArrayList<>();
		boolean nightly = false;
		for (String arg : args) {
			if (arg.equals("--nightly")) {
				nightly = true;
				continue;
			}
			sizes.add(Integer.parseInt(arg.replace("_", "")));
		}
		if (nightly) {
			NightlyBenchmark.main(sizes);
			System.exit(0);
		}
		if (sizes.isEmpty()) {
			sizes = List.of(100_000, 1_000_000);
		}
		List<Figures> all = run(sizes, Path.of("target", "bench"));
		print(all);
		System.exit(all.stream().allMatch(f -> f.exitCode() == 0) ? 0 : 1);
	}

	static List<Figures> run(List<Integer> sizes, Path workDir) throws Exception {
		List<Figures> all = new ArrayList<>();
		try (MeshSandbox sandbox = MeshSandbox.http()) {
			for (int n : sizes) {
				sandbox.reset();
				all.addAll(once(n, sandbox, workDir.resolve("n" + n)));
			}
		}
		return all;
	}

	/** Generates N records, then measures the baseline and the job bench.repeat times (default 1). */
	static List<Figures> once(int n, MeshSandbox sandbox, Path dir) throws Exception {
		deleteTree(dir);
		Files.createDirectories(dir);
		String url = TestPostgres.createDatabase("bench_" + n);
		DriverManagerDataSource dataSource = TestPostgres.inspect(url);
		JdbcClient jdbc = JdbcClient.create(dataSource);
		List<String> common = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--dps.output-dir=" + dir.resolve("files"), "--mesh.base-url=" + sandbox.baseUrl(),
				"--mesh.mailbox=X26ABC1", "--mesh.dps-mailbox=X26ABC2", "--mesh.jobs-enabled=true");
		log("N=%,d: generating demo data", n);
		Run generate = jar(dir, "generate", common, "generate-demo-data", "--records=" + n, "--seed=5", DEMO);
		if (generate.exitCode() != 0) {
			throw new IllegalStateException("generate-demo-data failed; see " + generate.log());
		}
		prepareLauncher(dir, common);
		int repeat = Integer.getInteger("bench.repeat", 1);
		List<Figures> figures = new ArrayList<>();
		for (int i = 1; i <= repeat; i++) {
			if (i > 1) {
				log("N=%,d: forgetting the export for run %d of %d", n, i, repeat);
				jdbc.sql("""
						TRUNCATE dps_export_rejects, dps_export_records, dps_exports, dps_claim_watermarks, batch_step_execution_context,
						         batch_job_execution_context, batch_step_execution, batch_job_execution_params,
						         batch_job_execution, batch_job_instance RESTART IDENTITY""").update();
				deleteTree(dir.resolve("files"));
				sandbox.reset();
			}
			String[] variants = System.getProperty("bench.variants", "").split("\\|", -1);
			exportVariant = variants[(i - 1) % variants.length].trim().replace(',', ' ');
			if (!exportVariant.isEmpty()) {
				log("N=%,d: run %d exports with extra JVM options: %s", n, i, exportVariant);
			}
			figures.add(measure(n, sandbox, dir, dataSource, jdbc, common));
		}
		explainNightlyClaim(jdbc, n);
		return figures;
	}

	private static Figures measure(int n, MeshSandbox sandbox, Path dir, DriverManagerDataSource dataSource,
			JdbcClient jdbc, List<String> common) throws Exception {
		// Both measurements start from the same quiet database: tables vacuumed and analysed, and no
		// checkpoint of the generator's (or an earlier run's) writes still to come.
		jdbc.sql("VACUUM ANALYZE").update();
		jdbc.sql("CHECKPOINT").update();

		log("N=%,d: baseline COPY | gzip", n);
		Path gz = dir.resolve("baseline.csv.gz");
		long started = System.nanoTime();
		double busyBefore = machineBusySeconds();
		long rows;
		Process gzip = new ProcessBuilder("gzip", "-c").redirectOutput(gz.toFile()).start();
		try (Connection connection = dataSource.getConnection(); OutputStream toGzip = gzip.getOutputStream()) {
			rows = connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyOut("COPY (" + BASELINE_ROWS + ") TO STDOUT WITH (FORMAT csv, DELIMITER '|', FORCE_QUOTE *, HEADER)",
						toGzip);
		}
		gzip.waitFor();
		double baseline = (System.nanoTime() - started) / 1e9;
		double baselineCpu = machineBusySeconds() - busyBefore;

		log("N=%,d: the export job", n);
		List<String> exportArgs = new ArrayList<>(List.of("export", "--run-date=2026-11-24"));
		String jobArgs = System.getProperty("bench.jobArgs", "").trim();
		if (!jobArgs.isEmpty()) {
			exportArgs.addAll(List.of(jobArgs.split("[;\\s]+")));
		}
		long postmaster = postmasterPid(jdbc);
		double pgBefore = processTreeCpuSeconds(postmaster);
		double sandboxBefore = processCpuSeconds(Path.of("/proc/self/stat"));
		PostgresCpu postgresCpu = PostgresCpu.start(postmaster);
		Run export = jar(dir, "export", common, exportArgs.toArray(String[]::new));
		Map<String, Double> pgByActivity = postgresCpu.stop();
		double pgCpu = processTreeCpuSeconds(postmaster) - pgBefore;
		double sandboxCpu = processCpuSeconds(Path.of("/proc/self/stat")) - sandboxBefore;
		long fileBytes = jdbc.sql("SELECT coalesce(sum(file_size_bytes), 0) FROM dps_exports").query(Long.class).single();
		long jobRows = jdbc.sql("SELECT coalesce(sum(row_count), 0) FROM dps_exports").query(Long.class).single();
		int chunks = sandbox.messages().stream().mapToInt(m -> m.chunkCount).sum();
		if (jobRows != rows) {
			log("warning: the job sent %,d rows, the baseline produced %,d", jobRows, rows);
		}
		log("export CPU by thread: %s", export.cpuByThread().entrySet().stream()
			.map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
		log("PostgreSQL CPU by activity (sampled): %s", pgByActivity.entrySet().stream()
			.map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
		dpsChecksCost(jdbc);
		return new Figures(n, jobRows, baseline, baselineCpu, Files.size(gz), export.seconds(), export.cpuSeconds(),
				export.machineCpuSeconds(), pgCpu, sandboxCpu, export.peakRssKb(),
				peakHeapMb(export.gcLog(), 1), peakHeapMb(export.gcLog(), 2), fileBytes, chunks, export.exitCode(), exportVariant);
	}

	/**
	 * What DPS's checks cost the export, measured on this run's own files: the row rules, timed
	 * alone over every row (the rows are parsed, untimed, in batches), and the whole-file check
	 * the upload makes before sending.
	 */
	static void dpsChecksCost(JdbcClient jdbc) throws Exception {
		DpsRowRules rules = new DpsRowRules(Clock.systemUTC());
		long ruleNanos = 0;
		long checkNanos = 0;
		long rows = 0;
		long bytes = 0;
		for (Map<String, Object> export : jdbc.sql("SELECT file_path, file_name, row_count FROM dps_exports")
			.query()
			.listOfRows()) {
			Path file = Path.of((String) export.get("file_path"));
			long started = System.nanoTime();
			DpsFileCheck.check(file, (String) export.get("file_name"), "V0V8L", ((Number) export.get("row_count")).longValue());
			checkNanos += System.nanoTime() - started;
			bytes += Files.size(file);
			try (CSVReader reader = new CSVReaderBuilder(Files.newBufferedReader(file))
				.withCSVParser(new CSVParserBuilder().withSeparator('|').build())
				.withSkipLines(1)
				.build()) {
				List<String[]> batch = new ArrayList<>(10_000);
				boolean more = true;
				while (more) {
					batch.clear();
					String[] row;
					while (batch.size() < 10_000 && (row = reader.readNext()) != null) {
						batch.add(row);
					}
					more = batch.size() == 10_000;
					started = System.nanoTime();
					for (String[] fields : batch) {
						if (!rules.check(fields).isEmpty()) {
							throw new IllegalStateException("a row the export wrote fails DPS's rules: " + fields[9]);
						}
					}
					ruleNanos += System.nanoTime() - started;
					rows += batch.size();
				}
			}
		}
		log("DPS's checks on the %,d rows written: row rules %.2f s in all (%.0f ns a row, one thread); "
				+ "whole-file checks %.2f s for %,d bytes", rows, ruleNanos / 1e9, rows == 0 ? 0.0 : (double) ruleNanos / rows,
				checkNanos / 1e9, bytes);
	}

	/**
	 * The plan of the claim's selection once everything has been sent, with a few records
	 * changed since: the nightly case at national volume.
	 */
	static void explainNightlyClaim(JdbcClient jdbc, int n) {
		jdbc.sql("UPDATE vaccination_records SET updated_at = updated_at + interval '1 minute' "
				+ "WHERE id % 1000 = 0").update();
		jdbc.sql("ANALYZE").update();
		List<String> plan = claimPlan(jdbc, "flu");
		log("N=%,d: plan of tomorrow night's Flu claim (every record sent, 1 in 1,000 changed since):", n);
		plan.forEach(line -> System.out.println("    " + line));
	}

	/**
	 * EXPLAIN ANALYZE of the programme's next claim as it would run now: with its parameters as values,
	 * as the claim binds them, so the planner sees the watermark rather than guessing at it.
	 */
	static List<String> claimPlan(JdbcClient jdbc, String programme) {
		long programmeId = jdbc.sql("SELECT id FROM programmes WHERE type = ?").param(programme).query(Long.class).single();
		String since = jdbc.sql("SELECT coalesce(max(changes_since), '0001-01-01Z')::text FROM dps_claim_watermarks "
				+ "WHERE programme_id = ?").param(programmeId).query(String.class).single();
		return jdbc.sql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + ExportSelection.pendingRecordsQuery()
			.replace(":programmeId", Long.toString(programmeId))
			.replace(":since", "'" + since + "'::timestamptz"))
			.query(String.class)
			.list();
	}

	record Run(int exitCode, double seconds, double cpuSeconds, double machineCpuSeconds, long peakRssKb, Path log,
			Path gcLog, Map<String, Double> cpuByThread) {
	}

	/** Runs the packaged jar as the scheduler would, watching its resident set from /proc. */
	private static final String GC = System.getProperty("bench.gc", "-XX:+UseSerialGC");

	/** Extra JVM options for the export of the current run (bench.variants, one per run in turn). */
	private static String exportVariant = "";

	/** As an installation does once per release: the launcher's training run, for its archive. */
	static void prepareLauncher(Path dir, List<String> common) throws Exception {
		if (Boolean.parseBoolean(System.getProperty("bench.launcher", "true"))) {
			Run prepare = jar(dir, "prepare", common, "--prepare");
			if (prepare.exitCode() != 0) {
				throw new IllegalStateException("dps-mesh-export --prepare failed; see " + prepare.log());
			}
		}
	}

	static Run jar(Path dir, String name, List<String> common, String... command) throws Exception {
		Path jar = Path.of(System.getProperty("app.jar", "target/dps-mesh-export-0.1.0-SNAPSHOT.jar"));
		Path log = dir.resolve(name + ".log");
		Path gcLog = dir.resolve(name + "-gc.log");
		// the heap and collector of the launcher's default JAVA_OPTS (jobs/bin/dps-mesh-export)
		String javaOpts = ("-Xmx" + System.getProperty("bench.xmx", "256m") + " " + GC + " -Xlog:gc:file=" + gcLog + " "
				+ System.getProperty("bench.jvmArgs", "") + " " + (name.equals("export") ? exportVariant : "")).trim();
		// Launched as the schedules in jobs/ launch it, mapping the archive prepareLauncher made. With
		// launcher=false, plain java -jar.
		boolean launcher = Boolean.parseBoolean(System.getProperty("bench.launcher", "true"));
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> cmd = new ArrayList<>();
		if (launcher) {
			cmd.addAll(List.of("bash", "jobs/bin/dps-mesh-export"));
		}
		else {
			cmd.add(java);
			cmd.addAll(List.of(javaOpts.split("\\s+")));
			cmd.addAll(List.of("-jar", jar.toString()));
		}
		cmd.addAll(List.of(command));
		cmd.addAll(common);
		ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("JAVA_OPTS", javaOpts);
		builder.environment().put("DPS_MESH_EXPORT_JAR", jar.toAbsolutePath().toString());
		builder.environment().put("DPS_MESH_EXPORT_CACHE", jar.toAbsolutePath().getParent().resolve("cds").toString());
		// the launcher's java: the JDK running the benchmark
		builder.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
		builder.environment().put("MESH_PASSWORD", "password");
		builder.environment().put("MESH_SHARED_KEY", MeshSandbox.SHARED_KEY);
		long started = System.nanoTime();
		double busyBefore = machineBusySeconds();
		Process process = builder.start();
		long peakRss = 0;
		double cpu = 0;
		Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
		Path stat = Path.of("/proc", String.valueOf(process.pid()), "stat");
		Map<String, Map.Entry<String, Double>> threads = new HashMap<>();
		while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
			peakRss = Math.max(peakRss, vmHwmKb(status));
			cpu = Math.max(cpu, processCpuSeconds(stat));
			sampleThreads(process.pid(), threads);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		Map<String, Double> cpuByThread = new TreeMap<>();
		threads.values().forEach(thread -> cpuByThread.merge(thread.getKey(), thread.getValue(), Double::sum));
		return new Run(process.exitValue(), seconds, cpu, machineBusySeconds() - busyBefore, peakRss, log, gcLog,
				cpuByThread);
	}

	/**
	 * The CPU of each of a live JVM's threads so far, by thread id (the last sample of a thread that
	 * has ended stays), under a name that groups its kind: the export's job threads, the MESH gzip
	 * threads, each JIT compiler, the main thread (start-up and launching), the GC and VM threads.
	 */
	private static void sampleThreads(long pid, Map<String, Map.Entry<String, Double>> threads) {
		try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				String line;
				try {
					line = Files.readString(task.resolve("stat"));
				}
				catch (IOException gone) {
					continue;
				}
				String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
				String kind = name.startsWith("pool-") ? "job threads" : name.startsWith("C2 Compiler") ? "JIT C2"
						: name.startsWith("C1 Compiler") ? "JIT C1" : name.equals("mesh-gzip") ? "gzip"
								: name.equals("java") || name.equals("main") ? "main" : "other";
				threads.put(task.getFileName().toString(), Map.entry(kind, processCpuSeconds(task.resolve("stat"))));
			}
		}
		catch (IOException | UncheckedIOException gone) {
			// the process ended
		}
	}

	/** User plus system CPU of a live process (the last sample before it exits: up to 50 ms short). */
	private static double processCpuSeconds(Path stat) {
		try {
			String line = Files.readString(stat);
			String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
			// utime and stime are fields 14 and 15 of /proc/<pid>/stat, 12 and 13 after the name
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
		}
		catch (IOException | RuntimeException gone) {
			return 0;
		}
	}

	/** The PostgreSQL server's process id, from postmaster.pid in its data directory. */
	static long postmasterPid(JdbcClient jdbc) throws IOException {
		String dataDirectory = jdbc.sql("SHOW data_directory").query(String.class).single();
		return Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
	}

	/**
	 * CPU of PostgreSQL: the postmaster's own, its reaped children's (backends that have ended) and
	 * its live children's (auxiliary processes and open backends).
	 */
	static double processTreeCpuSeconds(long postmaster) {
		double total = 0;
		try (var procs = Files.list(Path.of("/proc"))) {
			for (Path proc : (Iterable<Path>) procs::iterator) {
				String name = proc.getFileName().toString();
				if (!name.chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String line = Files.readString(proc.resolve("stat"));
					String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
					long pid = Long.parseLong(name);
					long ppid = Long.parseLong(f[1]);
					if (pid == postmaster) {
						total += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
								+ Long.parseLong(f[14])) / (double) CLOCK_TICKS;
					}
					else if (ppid == postmaster) {
						total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
					}
				}
				catch (IOException | RuntimeException gone) {
					// a process that ended while the list was read
				}
			}
		}
		catch (IOException ex) {
			return Double.NaN;
		}
		return total;
	}

	/** CPU seconds the whole machine spent busy since boot (everything in /proc/stat but idle and iowait). */
	static double machineBusySeconds() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < Math.min(f.length, 9); i++) {
				if (i != 4 && i != 5) {
					busy += Long.parseLong(f[i]);
				}
			}
			return busy / (double) CLOCK_TICKS;
		}
		catch (IOException | RuntimeException unavailable) {
			return Double.NaN;
		}
	}

	/** USER_HZ: 100 on every Linux build this runs on. */
	private static final int CLOCK_TICKS = 100;

	private static long vmHwmKb(Path status) {
		try {
			for (String line : Files.readAllLines(status)) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (IOException | RuntimeException gone) {
			// the process ended between the check and the read
		}
		return 0;
	}

	/**
	 * From -Xlog:gc lines ("123M->45M(256M)"): group 1 gives the largest heap occupancy before a
	 * collection (the peak), group 2 the largest after one (the live set, which must not grow with N).
	 */
	static long peakHeapMb(Path gcLog, int group) throws IOException {
		long peak = 0;
		Matcher matcher = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(gcLog));
		while (matcher.find()) {
			peak = Math.max(peak, Long.parseLong(matcher.group(group)));
		}
		return peak;
	}

	static void print(List<Figures> all) {
		System.out.printf(Locale.ROOT, "%nDPS export benchmark on %d cores (%s, %s)%n", Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.arch"), "java " + System.getProperty("java.version"));
		System.out.printf(Locale.ROOT, "The job ran as %s with -Xmx%s %s (peak heap: largest occupancy before a GC)%n",
				Boolean.parseBoolean(System.getProperty("bench.launcher", "true"))
						? "jobs/bin/dps-mesh-export (java -jar with Class Data Sharing)" : "java -jar",
				System.getProperty("bench.xmx", "256m"), GC);
		System.out.println("cpu s: CPU seconds the machine was busy during the baseline. During the job: jar cpu, the "
				+ "export process's; pg cpu, PostgreSQL's; mesh cpu, the MESH sandbox's; all cpu, the whole machine's");
		String format = "%10s %10s %10s %14s %8s %10s %14s %7s %8s %8s %8s %8s %10s %10s %12s %7s%n";
		System.out.printf(Locale.ROOT, format, "records", "rows", "baseline s", "baseline rec/s", "cpu s", "job s",
				"job rec/s", "ratio", "jar cpu", "pg cpu", "mesh cpu", "all cpu", "peak RSS", "peak heap", "file bytes",
				"chunks");
		for (Figures f : all) {
			System.out.printf(Locale.ROOT, format, String.format("%,d", f.records()), String.format("%,d", f.rows()),
					String.format("%.1f", f.baselineSeconds()), String.format("%,.0f", f.rows() / f.baselineSeconds()),
					String.format("%.1f", f.baselineCpuSeconds()), String.format("%.1f", f.jobSeconds()),
					String.format("%,.0f", f.rows() / f.jobSeconds()), String.format("%.2f", f.ratio()),
					String.format("%.1f", f.jobCpuSeconds()), String.format("%.1f", f.pgCpuSeconds()),
					String.format("%.1f", f.sandboxCpuSeconds()), String.format("%.1f", f.jobMachineCpuSeconds()),
					f.peakRssKb() / 1024 + " MB", f.peakHeapMb() + " MB", String.format("%,d", f.fileBytes()),
					f.chunks());
			if (!f.variant().isEmpty()) {
				System.out.println("  with " + f.variant());
			}
			if (f.exitCode() != 0) {
				System.out.println("  the export exited " + f.exitCode() + ": its log is under target/bench");
			}
		}
		// One run says little on a shared machine: with bench.repeat, the spread of the ratio per N
		// (and per variant, with bench.variants).
		all.stream()
			.collect(Collectors.groupingBy(f -> String.format(Locale.ROOT, "%,d records%s", f.records(),
					f.variant().isEmpty() ? "" : ", " + f.variant()), TreeMap::new,
					Collectors.mapping(Figures::ratio, Collectors.toList())))
			.forEach((what, ratios) -> {
				if (ratios.size() > 1) {
					System.out.printf(Locale.ROOT, "%s: job / baseline median %.2f, from %.2f to %.2f over %d runs%n",
							what, median(ratios), Collections.min(ratios), Collections.max(ratios), ratios.size());
				}
			});
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static void log(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
	}

	static void deleteTree(Path dir) throws IOException {
		if (Files.exists(dir)) {
			try (var paths = Files.walk(dir)) {
				paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	@SuppressWarnings("unused")
	private static Duration seconds(double s) {
		return Duration.ofMillis((long) (s * 1000));
	}

}

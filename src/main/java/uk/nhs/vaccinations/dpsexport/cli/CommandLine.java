package uk.nhs.vaccinations.dpsexport.cli;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.demo.DemoDataGenerator;
import uk.nhs.vaccinations.dpsexport.demo.DemoProperties;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.export.ExportLauncher;
import uk.nhs.vaccinations.dpsexport.export.ExportRepository;
import uk.nhs.vaccinations.dpsexport.mesh.MeshJobsGate;
import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;
import uk.nhs.vaccinations.dpsexport.runs.JobRuns;
import uk.nhs.vaccinations.dpsexport.export.ExportLauncher.Outcome;
import uk.nhs.vaccinations.dpsexport.export.ExportLauncher.ProgrammeResult;

/** The {@code java -jar} front end: runs one command and sets the process exit code. */
@Component
@ConditionalOnProperty(name = "dps.cli.enabled", havingValue = "true", matchIfMissing = true)
public class CommandLine implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger log = LoggerFactory.getLogger(CommandLine.class);

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private final ExportLauncher exportLauncher;

	private final DemoDataGenerator demoData;

	private final ExportRepository exports;

	private final StatusReport status;

	private final JobRuns runs;

	private final Job handshakeJob;

	private final Job trackJob;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MeshProperties meshProperties;

	private final boolean demoEnabled;

	private int exitCode = ExitCodes.OK;

	public CommandLine(ExportLauncher exportLauncher, DemoDataGenerator demoData, ExportRepository exports,
			StatusReport status, JobRuns runs,
			@Qualifier("meshValidateMailboxJob") Job handshakeJob, @Qualifier("dpsTrackJob") Job trackJob,
			JdbcClient jdbc, MeshProperties meshProperties, DemoProperties demo) {
		this.meshProperties = meshProperties;
		this.demoEnabled = demo.enabled();
		this.exportLauncher = exportLauncher;
		this.demoData = demoData;
		this.exports = exports;
		this.status = status;
		this.runs = runs;
		this.handshakeJob = handshakeJob;
		this.trackJob = trackJob;
		this.jdbc = jdbc;
		this.clock = Clock.system(LONDON);
	}

	@Override
	public void run(ApplicationArguments args) {
		List<String> words = args.getNonOptionArgs();
		if (words.isEmpty()) {
			System.out.print(Usage.TEXT);
			this.exitCode = ExitCodes.USAGE;
			return;
		}
		try {
			this.exitCode = switch (words.get(0)) {
				case "export" -> export(args);
				case "generate-demo-data" -> generateDemoData(args);
				case "handshake" -> handshake();
				case "track" -> track();
				case "restart" -> restart(args);
				case "status" -> {
					this.status.print(System.out, parseInt(args, "limit", 20));
					yield ExitCodes.OK;
				}
				case "help" -> {
					System.out.print(Usage.TEXT);
					yield ExitCodes.OK;
				}
				default -> throw new UsageException("Unknown command '" + words.get(0) + "'");
			};
		}
		catch (UsageException ex) {
			System.err.println(ex.getMessage());
			System.err.print(Usage.TEXT);
			this.exitCode = ExitCodes.USAGE;
		}
		catch (JobExecutionAlreadyRunningException ex) {
			System.err.println(ex.getMessage());
			this.exitCode = ExitCodes.ALREADY_RUNNING;
		}
		catch (Exception ex) {
			log.error("{} failed", words.get(0), ex);
			this.exitCode = ExitCodes.FAILED;
		}
	}

	private int export(ApplicationArguments args) {
		LocalDate runDate = option(args, "run-date") == null ? LocalDate.now(this.clock)
				: parseDate(option(args, "run-date"));
		Set<Programme> programmes = programmes(option(args, "programme"));
		List<ProgrammeResult> results = this.exportLauncher.exportAll(runDate, programmes);
		System.out.println();
		System.out.printf("DPS export for %s%n", runDate);
		for (ProgrammeResult result : results) {
			System.out.printf("  %-8s %-16s %s%n", result.programme().displayName(), result.outcome(),
					result.executionId() == null ? result.detail() : "execution " + result.executionId());
			this.exports.find(result.programme(), runDate)
				.ifPresent(e -> System.out.printf("           %s: %s rows, %s rejected, export %s%n",
						e.filePath(), e.rowCount() == null ? "?" : e.rowCount(),
						e.rejectCount() == null ? "?" : e.rejectCount(), e.status()));
		}
		if (results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED)) {
			log.error("Export failed for {}", results.stream()
				.filter(r -> r.outcome() == Outcome.FAILED)
				.map(r -> r.programme().displayName() + " (" + r.detail() + ")")
				.collect(Collectors.joining(", ")));
			return ExitCodes.FAILED;
		}
		if (results.stream().anyMatch(r -> r.outcome() == Outcome.ALREADY_RUNNING)) {
			return ExitCodes.ALREADY_RUNNING;
		}
		if (!results.isEmpty() && results.stream().allMatch(r -> r.outcome() == Outcome.DISABLED)) {
			return ExitCodes.DISABLED;
		}
		return ExitCodes.OK;
	}

	private int handshake() throws Exception {
		return runJob(this.handshakeJob, new JobParametersBuilder().addLocalDateTime("run.at", LocalDateTime.now(this.clock))
			.toJobParameters());
	}

	private int track() throws Exception {
		return runJob(this.trackJob, new JobParametersBuilder().addLocalDateTime("run.at", LocalDateTime.now(this.clock))
			.toJobParameters());
	}

	private int runJob(Job job, JobParameters parameters) throws Exception {
		JobExecution execution = this.runs.start(job, parameters);
		return report(execution);
	}

	private int restart(ApplicationArguments args) throws Exception {
		List<String> words = args.getNonOptionArgs();
		if (args.containsOption("last-failed")) {
			List<Long> failed = this.jdbc.sql("""
					SELECT max(e.job_execution_id) FROM batch_job_execution e
					JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
					GROUP BY e.job_instance_id
					HAVING (array_agg(e.status ORDER BY e.job_execution_id DESC))[1] IN ('FAILED', 'STOPPED', 'STARTED', 'STARTING', 'UNKNOWN')
					ORDER BY 1""").query(Long.class).list();
			if (failed.isEmpty()) {
				System.out.println("No failed job execution to restart.");
				return ExitCodes.OK;
			}
			// every candidate is tried, whatever happened to the one before, and each says how it went
			int worst = ExitCodes.OK;
			for (Long id : failed) {
				int code;
				try {
					code = restartOne(id);
				}
				catch (Exception ex) {
					System.err.println("Execution " + id + " could not be restarted: " + ex.getMessage());
					code = ExitCodes.FAILED;
				}
				worst = Math.max(worst, code);
			}
			return worst;
		}
		if (words.size() != 2) {
			throw new UsageException("restart needs an execution id (see 'status') or --last-failed");
		}
		long id;
		try {
			id = Long.parseLong(words.get(1));
		}
		catch (NumberFormatException ex) {
			throw new UsageException("restart: '" + words.get(1) + "' is not an execution id");
		}
		return restartOne(id);
	}

	private int restartOne(long executionId) throws Exception {
		try {
			return report(this.runs.restart(executionId));
		}
		catch (JobRuns.UnknownExecutionException ex) {
			System.err.println(ex.getMessage());
			return ExitCodes.USAGE;
		}
		catch (JobRuns.NotRestartableException ex) {
			System.err.println(ex.getMessage());
			return ex.running() ? ExitCodes.ALREADY_RUNNING : ExitCodes.FAILED;
		}
		catch (JobExecutionAlreadyRunningException ex) {
			System.err.println("Execution " + executionId + " is already running");
			return ExitCodes.ALREADY_RUNNING;
		}
	}

	private static int report(JobExecution execution) {
		String job = execution.getJobInstance().getJobName();
		String exit = execution.getExitStatus().getExitCode();
		System.out.printf("%s execution %d: %s (exit %s)%n", job, execution.getId(), execution.getStatus(), exit);
		if (MeshJobsGate.DISABLED.equals(exit)) {
			return ExitCodes.DISABLED;
		}
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return ExitCodes.OK;
		}
		execution.getAllFailureExceptions().stream().findFirst().ifPresent(ex -> System.err.println(ex.getMessage()));
		return ExitCodes.FAILED;
	}

	private int generateDemoData(ApplicationArguments args) {
		// made-up, valid-looking vaccinations would go to DPS with the next export: never near real data
		URI mesh = this.meshProperties.baseUrl();
		if (mesh != null && mesh.getHost() != null && mesh.getHost().toLowerCase(Locale.ROOT).endsWith("nhs.uk")) {
			System.err.println("generate-demo-data refused: MESH points at an NHS environment (" + mesh.getHost()
					+ "), where made-up records would reach DPS. It never runs there, whatever dps.demo.enabled says.");
			return ExitCodes.BAD_CONFIGURATION;
		}
		if (!this.demoEnabled) {
			System.err.println("generate-demo-data refused: it inserts made-up vaccination records, which the next "
					+ "export would send to DPS. It runs only in demo mode, against a database of its own: set "
					+ "dps.demo.enabled=true (DPS_DEMO_ENABLED=true), as scripts/local-run does.");
			return ExitCodes.BAD_CONFIGURATION;
		}
		int records = parseInt(args, "records", 1000);
		long seed = parseInt(args, "seed", 42);
		DemoDataGenerator.Summary summary = this.demoData.generate(records, seed);
		System.out.println("Generated " + summary);
		return ExitCodes.OK;
	}

	private static Set<Programme> programmes(String value) {
		if (value == null || value.isBlank()) {
			return EnumSet.allOf(Programme.class);
		}
		try {
			return Arrays.stream(value.split(","))
				.map(Programme::parse)
				.collect(Collectors.toCollection(() -> EnumSet.noneOf(Programme.class)));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("--programme: " + ex.getMessage());
		}
	}

	private static LocalDate parseDate(String value) {
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new UsageException("--run-date must be a date like 2026-11-24, not '" + value + "'");
		}
	}

	private static int parseInt(ApplicationArguments args, String name, int defaultValue) {
		String value = option(args, name);
		if (value == null) {
			return defaultValue;
		}
		try {
			int parsed = Integer.parseInt(value.replace("_", ""));
			if (parsed < 0) {
				throw new NumberFormatException();
			}
			return parsed;
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--" + name + " must be a whole number of 0 or more, not '" + value + "'");
		}
	}

	private static String option(ApplicationArguments args, String name) {
		List<String> values = args.getOptionValues(name);
		return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}

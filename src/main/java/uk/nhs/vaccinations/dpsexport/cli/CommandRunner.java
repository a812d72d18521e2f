package uk.nhs.vaccinations.dpsexport.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.cli.Commands.DpsCommand;
import uk.nhs.vaccinations.dpsexport.database.SourceContract;
import uk.nhs.vaccinations.dpsexport.demo.DemoDataGenerator;
import uk.nhs.vaccinations.dpsexport.housekeeping.Pruner;
import uk.nhs.vaccinations.dpsexport.demo.DemoProperties;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.export.job.ExportJob;
import uk.nhs.vaccinations.dpsexport.export.job.ExportLauncher;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;
import uk.nhs.vaccinations.dpsexport.runs.JobRuns;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.export.job.ExportLauncher.ProgrammeResult;

/**
 * The {@code java -jar} front end's Spring side: runs the command picocli parsed (see
 * {@link Commands}) and sets the process exit code. Without a command (tests, Spring Boot's own job
 * launch) it does nothing.
 */
@Component
public class CommandRunner implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private final ObjectProvider<DpsCommand> command;

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

	private final ObjectProvider<MeshClient> meshClient;

	private final SourceContract sourceContract;

	private final Pruner pruner;

	private final boolean demoEnabled;

	private int exitCode = ExitCodes.OK;

	public CommandRunner(ObjectProvider<DpsCommand> command, ExportLauncher exportLauncher, DemoDataGenerator demoData,
			ExportRepository exports, StatusReport status, JobRuns runs,
			@Qualifier("meshValidateMailboxJob") Job handshakeJob, @Qualifier("dpsTrackJob") Job trackJob,
			JdbcClient jdbc, MeshProperties meshProperties, ObjectProvider<MeshClient> meshClient,
			SourceContract sourceContract, Pruner pruner, DemoProperties demo) {
		this.pruner = pruner;
		this.command = command;
		this.meshProperties = meshProperties;
		this.meshClient = meshClient;
		this.sourceContract = sourceContract;
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
		DpsCommand command = this.command.getIfAvailable();
		if (command == null) {
			return;
		}
		String name = command.getClass().getSimpleName();
		try {
			if (command.usesMesh() && this.meshProperties.jobsEnabled()) {
				// built here, not at start-up, so read-only commands need no MESH secrets; a bad
				// certificate, key or missing setting still stops the run before any job starts
				this.meshClient.getObject();
			}
			if (command instanceof Commands.Export export) {
				this.sourceContract.check();
				this.exitCode = export(export);
			}
			else if (command instanceof Commands.Restart restart) {
				this.exitCode = restart(restart);
			}
			else if (command instanceof Commands.Handshake) {
				this.exitCode = runJob(this.handshakeJob, startedNow());
			}
			else if (command instanceof Commands.Track) {
				this.exitCode = runJob(this.trackJob, startedNow());
			}
			else if (command instanceof Commands.Status status) {
				this.status.print(System.out, status.limit());
				this.exitCode = ExitCodes.OK;
			}
			else if (command instanceof Commands.Prune prune) {
				System.out.println(this.pruner.prune(prune.dryRun()));
				this.exitCode = ExitCodes.OK;
			}
			else if (command instanceof Commands.GenerateDemoData demo) {
				this.exitCode = generateDemoData(demo);
			}
		}
		catch (SourceContract.BrokenException ex) {
			System.err.println(ex.getMessage());
			this.exitCode = ExitCodes.BAD_CONFIGURATION;
		}
		catch (BeanCreationException ex) {
			System.err.println("MESH is not set up: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
			this.exitCode = ExitCodes.BAD_CONFIGURATION;
		}
		catch (JobExecutionAlreadyRunningException ex) {
			System.err.println(ex.getMessage());
			this.exitCode = ExitCodes.ALREADY_RUNNING;
		}
		catch (Exception ex) {
			log.error("{} failed", name, ex);
			this.exitCode = ExitCodes.FAILED;
		}
	}

	private int export(Commands.Export command) {
		LocalDate runDate = command.runDate() == null ? LocalDate.now(this.clock) : command.runDate();
		Set<Programme> programmes = command.programmes().isEmpty() ? EnumSet.allOf(Programme.class)
				: EnumSet.copyOf(command.programmes());
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
		if (results.stream().anyMatch(r -> r.outcome() == RunOutcome.FAILED)) {
			log.error("Export failed for {}", results.stream()
				.filter(r -> r.outcome() == RunOutcome.FAILED)
				.map(r -> r.programme().displayName() + " (" + r.detail() + ")")
				.collect(Collectors.joining(", ")));
			return ExitCodes.FAILED;
		}
		if (results.stream().anyMatch(r -> r.outcome() == RunOutcome.ALREADY_RUNNING)) {
			return ExitCodes.ALREADY_RUNNING;
		}
		if (!results.isEmpty() && results.stream().allMatch(r -> r.outcome() == RunOutcome.DISABLED)) {
			return ExitCodes.DISABLED;
		}
		return ExitCodes.OK;
	}

	private JobParameters startedNow() {
		return new JobParametersBuilder().addLocalDateTime("run.at", LocalDateTime.now(this.clock)).toJobParameters();
	}

	private int runJob(Job job, JobParameters parameters) throws Exception {
		JobExecution execution = this.runs.start(job, parameters);
		return report(execution);
	}

	private int restart(Commands.Restart command) throws Exception {
		if (command.executionId() == null) {
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
		return restartOne(command.executionId());
	}

	private int restartOne(long executionId) throws Exception {
		boolean export = this.jdbc.sql("""
				SELECT i.job_name FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE e.job_execution_id = ?""").param(executionId).query(String.class).optional()
			.filter(ExportJob.NAME::equals).isPresent();
		if (export) {
			this.sourceContract.check();
		}
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
		return switch (RunOutcome.of(execution)) {
			case DISABLED -> ExitCodes.DISABLED;
			case FAILED -> {
				execution.getAllFailureExceptions().stream().findFirst().ifPresent(ex -> System.err.println(ex.getMessage()));
				yield ExitCodes.FAILED;
			}
			default -> ExitCodes.OK;
		};
	}

	private int generateDemoData(Commands.GenerateDemoData command) {
		// made-up, valid-looking vaccinations would go to DPS with the next export: never near real data
		// (demo mode itself refuses to start against an NHS MESH: DemoSourceSchema)
		if (!this.demoEnabled) {
			System.err.println("generate-demo-data refused: it inserts made-up vaccination records, which the next "
					+ "export would send to DPS. It runs only in demo mode, against a database of its own: set "
					+ "dps.demo.enabled=true (DPS_DEMO_ENABLED=true), as scripts/local-run does.");
			return ExitCodes.BAD_CONFIGURATION;
		}
		DemoDataGenerator.Summary summary = this.demoData.generate(command.records(), command.seed());
		System.out.println("Generated " + summary);
		return ExitCodes.OK;
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}

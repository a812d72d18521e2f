package uk.nhs.vaccinations.dpsexport.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * The commands and their options, parsed by picocli before Spring starts: a typo costs
 * milliseconds and exit 64, whether or not the database is up. Settings ({@code --name.with.dots=value})
 * are not options of a command: they go to Spring Boot as they are.
 */
@Command(name = "java -jar dps-mesh-export.jar", mixinStandardHelpOptions = true, versionProvider = Commands.Version.class,
		subcommands = { Commands.Export.class, Commands.Handshake.class, Commands.Track.class, Commands.Restart.class,
				Commands.Status.class, Commands.Prune.class, Commands.GenerateDemoData.class, HelpCommand.class },
		footer = { "", "Settings go after the command as --name=value (such as --spring.datasource.url=...)",
				"or in the environment (SPRING_DATASOURCE_URL, MESH_PASSWORD, ...); see the README.",
				"Spring Boot's own launch also works:",
				"  --spring.batch.job.name=dpsExportJob programme=hpv runDate=2026-11-24,java.time.LocalDate", "",
				"Exit codes: 0 done, 1 a job failed, 3 already running, 4 MESH jobs disabled,",
				"            64 bad command or arguments, 78 bad configuration." })
public final class Commands {

	/** A command to run, as the Spring side receives it. */
	public sealed interface DpsCommand permits Export, Handshake, Track, Restart, Status, Prune, GenerateDemoData {

		/** Whether the command talks to MESH (and so needs MESH's settings when MESH jobs are on). */
		default boolean usesMesh() {
			return true;
		}

	}

	@Command(name = "export", mixinStandardHelpOptions = true, description = { "Nightly: for every programme with records to send, restart its unfinished "
			+ "earlier export if any, then run dpsExportJob (claim, write the DPS file, upload it to the DPS mailbox, "
			+ "mark the records sent)." })
	public static final class Export implements DpsCommand {

		@Option(names = "--run-date", paramLabel = "YYYY-MM-DD",
				description = "the run date (default: today, Europe/London)")
		LocalDate runDate;

		@Option(names = "--programme", split = ",", paramLabel = "P", converter = ProgrammeConverter.class,
				description = "only these programmes (flu, hpv, menacwy, td_ipv)")
		List<Programme> programmes = List.of();

		public LocalDate runDate() {
			return this.runDate;
		}

		public List<Programme> programmes() {
			return this.programmes;
		}

	}

	@Command(name = "handshake", mixinStandardHelpOptions = true, description = "Daily: meshValidateMailboxJob, the MESH mailbox handshake.")
	public static final class Handshake implements DpsCommand {

	}

	@Command(name = "track", mixinStandardHelpOptions = true, description = "After the export: dpsTrackJob, records what MESH says became of sent exports.")
	public static final class Track implements DpsCommand {

	}

	@Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart a failed (or killed) job execution with its own parameters, "
			+ "or the most recent failed execution of each job.")
	public static final class Restart implements DpsCommand {

		@ArgGroup(exclusive = true, multiplicity = "1")
		Which which;

		static final class Which {

			@Parameters(paramLabel = "<executionId>", description = "the execution to restart (see 'status')")
			Long executionId;

			@Option(names = "--last-failed", description = "the most recent failed execution of each job")
			boolean lastFailed;

		}

		/** The execution to restart, or null for the last failed of each job. */
		public Long executionId() {
			return this.which.lastFailed ? null : this.which.executionId;
		}

	}

	@Command(name = "status", mixinStandardHelpOptions = true, description = "Recent job executions and exports, with counts and MESH states.")
	public static final class Status implements DpsCommand {

		@Spec
		CommandSpec spec;

		int limit = 20;

		@Option(names = "--limit", paramLabel = "N", description = "rows per table (default 20)")
		void limit(int value) {
			this.limit = atLeastZero(this.spec, "--limit", value);
		}

		public int limit() {
			return this.limit;
		}

		@Override
		public boolean usesMesh() {
			return false;
		}

	}

	@Command(name = "prune", mixinStandardHelpOptions = true, description = { "Housekeeping: old DPS files, export "
			+ "records a later delivery superseded, and completed jobs' history, by the dps.retention.* settings. "
			+ "Never what a restart or the next export needs. Only counts unless --apply is given." })
	public static final class Prune implements DpsCommand {

		@Option(names = "--apply", description = "remove them (without it, a dry run: counts only)")
		boolean apply;

		@Option(names = "--dry-run", description = "count what would go and remove nothing (the default)")
		boolean dryRun;

		public boolean dryRun() {
			return this.dryRun || !this.apply;
		}

		@Override
		public boolean usesMesh() {
			return false;
		}

	}

	@Command(name = "generate-demo-data", mixinStandardHelpOptions = true, description = "Demo mode only: create synthetic patients and vaccination "
			+ "records (test NHS numbers) in a database of its own.")
	public static final class GenerateDemoData implements DpsCommand {

		@Spec
		CommandSpec spec;

		int records = 1000;

		long seed = 42;

		@Option(names = "--records", paramLabel = "N", description = "how many vaccination records (default 1000)")
		void records(int value) {
			this.records = atLeastZero(this.spec, "--records", value);
		}

		@Option(names = "--seed", paramLabel = "S",
				description = "random seed; the same seed gives the same data (default 42)")
		void seed(long value) {
			this.seed = value;
		}

		public int records() {
			return this.records;
		}

		public long seed() {
			return this.seed;
		}

		@Override
		public boolean usesMesh() {
			return false;
		}

	}

	private static int atLeastZero(CommandSpec spec, String option, int value) {
		if (value < 0) {
			throw new ParameterException(spec.commandLine(), option + " must be 0 or more, not " + value);
		}
		return value;
	}

	static final class ProgrammeConverter implements CommandLine.ITypeConverter<Programme> {

		@Override
		public Programme convert(String value) {
			return Programme.parse(value);
		}

	}

	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = Commands.class.getPackage().getImplementationVersion();
			return new String[] { "dps-mesh-export " + (version == null ? "(development build)" : version) };
		}

	}

	/** {@code --name.with.dots=value}: a Spring Boot setting, not an option of a command. */
	public static boolean isSetting(String arg) {
		if (!arg.startsWith("--")) {
			return false;
		}
		int end = arg.indexOf('=');
		return arg.substring(2, end < 0 ? arg.length() : end).contains(".");
	}

	/** What the command line asks for: a command to run, or an exit code already decided (help, a mistake). */
	public record Parsed(DpsCommand command, int exitCode) {
	}

	/**
	 * Parses the command's words and options; help and mistakes are answered here, on {@code out}
	 * and {@code err}, and come back as an exit code with no command.
	 */
	public static Parsed parse(List<String> words, PrintWriter out, PrintWriter err) {
		CommandLine cli = new CommandLine(new Commands()).setCaseInsensitiveEnumValuesAllowed(true);
		cli.setOut(out);
		cli.setErr(err);
		try {
			ParseResult result = cli.parseArgs(words.toArray(String[]::new));
			Integer help = CommandLine.executeHelpRequest(result);
			if (help != null) {
				return new Parsed(null, ExitCodes.OK);
			}
			if (!result.hasSubcommand()) {
				cli.usage(err);
				return new Parsed(null, ExitCodes.USAGE);
			}
			return new Parsed((DpsCommand) result.subcommand().commandSpec().userObject(), ExitCodes.OK);
		}
		catch (ParameterException ex) {
			err.println(ex.getMessage());
			ex.getCommandLine().usage(err);
			return new Parsed(null, ExitCodes.USAGE);
		}
		finally {
			out.flush();
			err.flush();
		}
	}

	private Commands() {
	}

}

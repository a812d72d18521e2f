package uk.nhs.vaccinations.dpsexport.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.demo.DemoDataGenerator;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.export.ExportLauncher;
import uk.nhs.vaccinations.dpsexport.export.ExportRepository;
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

	private final Clock clock;

	private int exitCode = ExitCodes.OK;

	public CommandLine(ExportLauncher exportLauncher, DemoDataGenerator demoData, ExportRepository exports) {
		this.exportLauncher = exportLauncher;
		this.demoData = demoData;
		this.exports = exports;
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
		return ExitCodes.OK;
	}

	private int generateDemoData(ApplicationArguments args) {
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

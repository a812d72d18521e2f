package uk.nhs.vaccinations.dpsexport;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.validation.FieldError;

import uk.nhs.vaccinations.dpsexport.cli.ExitCodes;
import uk.nhs.vaccinations.dpsexport.cli.Commands;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DpsMeshExportApplication {

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** Runs one command and returns the process exit code; the tests and the local run call this too. */
	public static int run(String... args) {
		if (Arrays.stream(args).anyMatch(a -> a.startsWith("--spring.batch.job.name="))) {
			return runBootJobLaunch(args);
		}
		// The command is read before Spring starts: help and mistakes need no database, and cost no start-up.
		List<String> words = new ArrayList<>();
		List<String> settings = new ArrayList<>();
		for (String arg : args) {
			(Commands.isSetting(arg) ? settings : words).add(arg);
		}
		Commands.Parsed parsed = Commands.parse(words, new PrintWriter(System.out, true),
				new PrintWriter(System.err, true));
		if (parsed.command() == null) {
			return parsed.exitCode();
		}
		SpringApplication application = new SpringApplication(DpsMeshExportApplication.class);
		application.addInitializers(
				context -> context.getBeanFactory().registerSingleton("dpsCommand", parsed.command()));
		return start(application, settings.toArray(String[]::new));
	}

	private static int start(SpringApplication application, String[] args) {
		ConfigurableApplicationContext context;
		try {
			context = application.run(args);
		}
		catch (RuntimeException ex) {
			// Spring Boot has logged the whole story; the operator also gets the reason on one line.
			System.err.println("dps-mesh-export did not start: " + rootMessage(ex));
			return ExitCodes.BAD_CONFIGURATION;
		}
		return SpringApplication.exit(context);
	}

	/**
	 * Spring Boot's own {@code --spring.batch.job.name=...} launch: with it (and no command) Boot's
	 * job runner launches that job with the remaining name=value job parameters.
	 */
	private static int runBootJobLaunch(String[] args) {
		String refused = unknownJobParameter(args);
		if (refused != null) {
			// checked before Spring starts, so the value (it may be a secret) is never stored or logged
			System.err.println("Job parameter '" + refused + "' is not one these jobs take (dpsExportJob: programme and "
					+ "runDate; the others: run.at); refused, and neither stored nor logged");
			return ExitCodes.USAGE;
		}
		List<String> all = new ArrayList<>(Arrays.asList(args));
		all.add("--spring.batch.job.enabled=true");
		return start(new SpringApplication(DpsMeshExportApplication.class), all.toArray(String[]::new));
	}

	static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			if (cause instanceof BindValidationException invalid) {
				return invalidSettings(invalid);
			}
			if (cause instanceof BindException unreadable && !(unreadable.getCause() instanceof BindValidationException)) {
				return unreadableSetting(unreadable);
			}
			cause = cause.getCause();
		}
		if (cause instanceof BindValidationException invalid) {
			return invalidSettings(invalid);
		}
		return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
	}

	/**
	 * A setting that could not be read as what it must be (a duration, a number), or that its
	 * settings object refused: named with where it was set. Not its value: it may be a secret.
	 */
	private static String unreadableSetting(BindException unreadable) {
		Throwable root = unreadable;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		if (unreadable.getProperty() == null) {
			// the settings object itself refused them, in words that name the settings
			return root.getMessage() == null ? unreadable.getMessage() : root.getMessage();
		}
		Origin origin = unreadable.getProperty().getOrigin();
		return "Invalid setting " + unreadable.getProperty().getName() + ": cannot be read as a "
				+ unreadable.getTarget().getType().resolve(Object.class).getSimpleName()
				+ (origin == null ? "" : " (set by " + origin + ")");
	}

	/**
	 * Each setting at fault by its property name, why, and where it was set (an environment
	 * variable, a command-line argument). Never the value: it may be a secret.
	 */
	private static String invalidSettings(BindValidationException invalid) {
		ValidationErrors errors = invalid.getValidationErrors();
		return errors.getAllErrors().stream().map(error -> {
			String name = errors.getName().toString();
			if (error instanceof FieldError field) {
				name += "." + field.getField().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
			}
			Origin origin = Origin.from(error);
			return "Invalid setting " + name + ": " + error.getDefaultMessage()
					+ (origin == null ? "" : " (set by " + origin + ")");
		}).collect(Collectors.joining("; "));
	}

	/** The first name=value job parameter of a Spring Boot job launch that no job takes, or null. */
	static String unknownJobParameter(String[] args) {
		return Arrays.stream(args)
			.filter(a -> !a.startsWith("-") && a.contains("="))
			.map(a -> a.substring(0, a.indexOf('=')))
			.filter(key -> !JOB_PARAMETERS.contains(key))
			.findFirst()
			.orElse(null);
	}

	private static final Set<String> JOB_PARAMETERS = Set.of("programme", "runDate", "run.at");

}

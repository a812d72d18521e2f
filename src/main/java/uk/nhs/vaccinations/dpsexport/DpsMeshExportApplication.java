package uk.nhs.vaccinations.dpsexport;

import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import uk.nhs.vaccinations.dpsexport.cli.ExitCodes;
import uk.nhs.vaccinations.dpsexport.cli.Usage;

@SpringBootApplication
@ConfigurationPropertiesScan
public class DpsMeshExportApplication {

	private static final Set<String> HELP = Set.of("--help", "-h", "help");

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** Runs one command and returns the process exit code; the tests and the local run call this too. */
	public static int run(String... args) {
		if (args.length > 0 && HELP.contains(args[0])) {
			// Help must work before any database or MESH setting exists.
			System.out.print(Usage.TEXT);
			return ExitCodes.OK;
		}
		ConfigurableApplicationContext context;
		try {
			context = SpringApplication.run(DpsMeshExportApplication.class, args);
		}
		catch (RuntimeException ex) {
			// Spring Boot has already logged why (its failure analysis names the setting).
			return ExitCodes.BAD_CONFIGURATION;
		}
		return SpringApplication.exit(context);
	}

}

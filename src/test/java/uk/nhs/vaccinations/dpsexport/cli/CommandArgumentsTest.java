package uk.nhs.vaccinations.dpsexport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;

/**
 * Mistakes on the command line are answered before Spring starts: the database here is a port
 * nothing listens on, so any attempt to start would fail with exit 78, not 64.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandArgumentsTest {

	private static final String NO_DATABASE = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere";

	@Test
	void anUnknownCommandIsRefusedWithoutStartingAnything(CapturedOutput output) {
		assertThat(DpsMeshExportApplication.run("bogus-command", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("Unmatched argument at index 0: 'bogus-command'").contains("Commands:");
		assertThat(output.getAll()).doesNotContain("Starting DpsMeshExportApplication").doesNotContain("HikariPool");
	}

	@Test
	void badOptionsAreNamed(CapturedOutput output) {
		assertThat(DpsMeshExportApplication.run("export", "--run-date=2026-13-01", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("Invalid value for option '--run-date'");
		assertThat(DpsMeshExportApplication.run("export", "--programme=hpv,polio", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("--programme").contains("polio");
		assertThat(DpsMeshExportApplication.run("export", "--progamme=hpv", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("Unknown option: '--progamme=hpv'");
		assertThat(DpsMeshExportApplication.run("status", "--limit=-1", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("--limit must be 0 or more, not -1");
		assertThat(DpsMeshExportApplication.run("generate-demo-data", "--records=many", NO_DATABASE))
			.isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("Invalid value for option '--records': 'many' is not an int");
		assertThat(output.getAll()).doesNotContain("Starting DpsMeshExportApplication");
	}

	@Test
	void restartTakesAnExecutionIdOrLastFailedButNotBoth(CapturedOutput output) {
		assertThat(DpsMeshExportApplication.run("restart", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(DpsMeshExportApplication.run("restart", "12", "--last-failed", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("mutually exclusive");
		assertThat(DpsMeshExportApplication.run("restart", "twelve", NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).contains("'twelve' is not a long");
	}

	@Test
	void helpNeedsNoDatabaseAndNoCommandIsAMistake(CapturedOutput output) {
		assertThat(DpsMeshExportApplication.run("--help")).isEqualTo(ExitCodes.OK);
		assertThat(DpsMeshExportApplication.run("help", "export")).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).contains("generate-demo-data").contains("--run-date=YYYY-MM-DD")
			.contains("64 bad command or arguments");
		assertThat(DpsMeshExportApplication.run(NO_DATABASE)).isEqualTo(ExitCodes.USAGE);
	}

	@Test
	void settingsAreTheOptionsWithDotsInTheirNames() {
		assertThat(Commands.isSetting("--spring.datasource.url=x")).isTrue();
		assertThat(Commands.isSetting("--mesh.jobs-enabled")).isTrue();
		assertThat(Commands.isSetting("--run-date=2026-11-24")).isFalse();
		assertThat(Commands.isSetting("export")).isFalse();
		assertThat(Commands.isSetting("--last-failed")).isFalse();
	}

}

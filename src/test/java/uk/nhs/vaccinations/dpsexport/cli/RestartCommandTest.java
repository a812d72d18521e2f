package uk.nhs.vaccinations.dpsexport.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class RestartCommandTest {

	@Test
	void restartingAnExecutionThatDoesNotExistIsOneLineAndExit64(CapturedOutput output) {
		String url = TestPostgres.createDatabase("restart_unknown");

		int code = DpsMeshExportApplication.run("restart", "999999", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres");

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getErr()).isEqualTo("There is no job execution 999999; 'status' lists the recent ones\n");
		assertThat(output.getAll()).doesNotContain("Exception").doesNotContain("\tat ");
	}

}

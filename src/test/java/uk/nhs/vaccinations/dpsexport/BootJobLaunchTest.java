package uk.nhs.vaccinations.dpsexport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import uk.nhs.vaccinations.dpsexport.cli.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring Boot's own job launch turns every name=value argument into a job parameter: only known ones may pass. */
@ExtendWith(OutputCaptureExtension.class)
class BootJobLaunchTest {

	@Test
	void aStrayArgumentIsRefusedBeforeSpringStartsAndItsValueNeverShown(CapturedOutput output) {
		int code = DpsMeshExportApplication.run("--spring.batch.job.name=dpsExportJob", "programme=hpv",
				"runDate=2026-11-24,java.time.LocalDate", "mesh.password=hunter2");

		assertThat(code).isEqualTo(ExitCodes.USAGE);
		assertThat(output.getAll()).contains("Job parameter 'mesh.password' is not one these jobs take")
			.doesNotContain("hunter2")
			.doesNotContain("Started DpsMeshExportApplication");
	}

	@Test
	void theJobsOwnParametersPass() {
		assertThat(DpsMeshExportApplication.unknownJobParameter(new String[] { "--spring.batch.job.name=dpsExportJob",
				"programme=hpv", "runDate=2026-11-24,java.time.LocalDate" })).isNull();
	}

}

package uk.nhs.vaccinations.dpsexport.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/** Made-up vaccinations must never reach a database or a MESH that leads to DPS. */
@ExtendWith(OutputCaptureExtension.class)
class DemoDataGuardTest {

	@Test
	void outsideDemoModeItRefusesAndSaysWhyAndHow(CapturedOutput output) {
		String url = TestPostgres.createDatabase("demo_guard_off");

		int code = DpsMeshExportApplication.run("generate-demo-data", "--records=10", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres");

		assertThat(code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(output.getErr()).contains("generate-demo-data refused").contains("set dps.demo.enabled=true");
		assertThat(records(url)).isZero();
	}

	@Test
	void againstAnNhsMeshItRefusesWhateverTheSetting(CapturedOutput output) {
		String url = TestPostgres.createDatabase("demo_guard_nhs");

		int code = DpsMeshExportApplication.run("generate-demo-data", "--records=10", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.demo.enabled=true",
				"--mesh.base-url=https://msg.intspineservices.nhs.uk");

		assertThat(code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(output.getErr()).contains("Demo mode refused: MESH points at an NHS environment (msg.intspineservices.nhs.uk)");
		assertThat(records(url)).isZero();
		// nothing of the demo's in the database either: not even its tables
		assertThat(JdbcClient.create(TestPostgres.inspect(url)).sql("SELECT to_regclass('public.patients') IS NULL")
			.query(Boolean.class).single()).isTrue();
	}

	@Test
	void inDemoModeItGenerates() {
		String url = TestPostgres.createDatabase("demo_guard_on");

		int code = DpsMeshExportApplication.run("generate-demo-data", "--records=10", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.demo.enabled=true");

		assertThat(code).isEqualTo(ExitCodes.OK);
		assertThat(records(url)).isEqualTo(10);
	}

	/** Records in the demo's source table; none when demo mode never created it. */
	static long records(String url) {
		JdbcClient jdbc = JdbcClient.create(TestPostgres.inspect(url));
		if (jdbc.sql("SELECT to_regclass('public.vaccination_records') IS NULL").query(Boolean.class).single()) {
			return 0;
		}
		return jdbc.sql("SELECT count(*) FROM vaccination_records").query(Long.class).single();
	}

}

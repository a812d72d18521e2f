package uk.nhs.vaccinations.dpsexport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.Args;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/** With mesh.jobs-enabled off, every MESH command says so, exits 4, and touches neither MESH nor the exports. */
@ExtendWith(OutputCaptureExtension.class)
class MeshJobsOffTest {

	@Test
	void everyMeshCommandSaysSoAndExitsWithCode4(CapturedOutput output) {
		String url = TestPostgres.createDatabase("mesh_jobs_off");
		try (MeshSandbox sandbox = MeshSandbox.http()) {
			String[] settings = { "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--dps.demo.enabled=true", "--mesh.jobs-enabled=false", "--mesh.base-url=" + sandbox.baseUrl() };
			assertThat(DpsMeshExportApplication.run(Args.with("generate-demo-data", settings))).isZero();

			for (String command : new String[] { "export", "handshake", "track" }) {
				assertThat(DpsMeshExportApplication.run(Args.with(command, settings))).as(command).isEqualTo(ExitCodes.DISABLED);
			}

			assertThat(output.getAll()).contains("MESH jobs are disabled (mesh.jobs-enabled=false, env MESH_JOBS_ENABLED): "
					+ "meshValidateMailboxJob did nothing");
			assertThat(sandbox.authorizationHeaders()).as("nothing touched MESH").isEmpty();
			assertThat(JdbcClient.create(TestPostgres.inspect(url)).sql("SELECT count(*) FROM dps_exports")
				.query(Long.class).single()).isZero();
		}
	}

}

package uk.nhs.vaccinations.dpsexport.cli;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestMesh;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/** restart --last-failed tries every candidate and says how each went, whatever happened to the one before. */
@ExtendWith(OutputCaptureExtension.class)
class RestartLastFailedTest {

	@AfterEach
	void behave() {
		TestMesh.sandbox().reset();
	}

	@Test
	void oneCandidateThatCannotBeRestartedDoesNotStopTheOthers(CapturedOutput output) {
		String url = TestPostgres.createDatabase("restart_last_failed_all");
		List<String> common = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.output-dir=target/test-dps-files/RestartLastFailedTest",
				"--dps.demo.enabled=true"));
		TestMesh.properties().forEach((key, value) -> common.add("--" + key + "=" + value));
		assertThat(run(common, "generate-demo-data", "--records=200")).isZero();
		TestMesh.sandbox().failNext(100, 429, MeshSandbox.post("/outbox"));
		assertThat(run(common, "export", "--programme=hpv", "--run-date=2026-11-24")).isEqualTo(ExitCodes.FAILED);
		TestMesh.sandbox().reset();
		// an older execution that can never be restarted: a stray parameter an old version stored with it
		JdbcClient jdbc = JdbcClient.create(TestPostgres.inspect(url));
		long instance = jdbc.sql("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) "
				+ "VALUES (nextval('batch_job_instance_seq'), 0, 'dpsExportJob', 'stray') RETURNING job_instance_id")
			.query(Long.class)
			.single();
		long execution = jdbc.sql("""
				INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time,
				                                 end_time, status, exit_code, exit_message, last_updated)
				VALUES (nextval('batch_job_execution_seq'), 2, ?, now(), now(), now(), 'FAILED', 'FAILED', '', now())
				RETURNING job_execution_id""").param(instance).query(Long.class).single();
		for (String[] parameter : new String[][] { { "programme", "java.lang.String", "flu" },
				{ "runDate", "java.time.LocalDate", "2026-11-20" }, { "mesh.password", "java.lang.String", "hunter2" } }) {
			jdbc.sql("INSERT INTO batch_job_execution_params VALUES (?, ?, ?, ?, 'Y')")
				.params(execution, parameter[0], parameter[1], parameter[2])
				.update();
		}

		int code = run(common, "restart", "--last-failed");

		assertThat(code).isEqualTo(ExitCodes.FAILED);
		assertThat(output.getErr()).contains("Execution " + execution + " could not be restarted")
			.contains("refused [mesh.password]");
		assertThat(output.getOut()).contains("dpsExportJob execution").contains(": COMPLETED");
		assertThat(TestMesh.sandbox().messagesTo(TestMesh.DPS)).as("the HPV export went after all").hasSize(1);
	}

	static int run(List<String> common, String... command) {
		List<String> all = new ArrayList<>(List.of(command));
		all.addAll(common);
		return DpsMeshExportApplication.run(all.toArray(String[]::new));
	}

}

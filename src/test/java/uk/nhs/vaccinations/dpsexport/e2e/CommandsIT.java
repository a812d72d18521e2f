package uk.nhs.vaccinations.dpsexport.e2e;

import org.junit.jupiter.api.Test;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands as a scheduler runs them: exit codes, the flag, configuration errors, mTLS from env. */
class CommandsIT extends SandboxedIT {

	@Test
	void helpNeedsNoDatabase() {
		AppProcess.Result help = new AppProcess("help").run("--help");
		assertThat(help.exitCode()).isZero();
		assertThat(help.output()).contains("restart").contains("generate-demo-data").contains("4 MESH jobs disabled");
	}

	@Test
	void oneEnvironmentVariableTurnsEveryLogLineIntoJsonForLogPlatforms() {
		E2eEnvironment env = new E2eEnvironment("structured_logs", sandbox, this.outputDir);
		env.app.env("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");

		AppProcess.Result result = env.app.run("status");

		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output().lines().filter(line -> line.startsWith("{\"@timestamp\"")))
			.anySatisfy(line -> assertThat(line).contains("\"log\":{\"level\":\"INFO\"")
				.contains("Started DpsMeshExportApplication"));
	}

	@Test
	void anUnknownCommandExitsWith64() {
		E2eEnvironment env = new E2eEnvironment("usage", sandbox, this.outputDir);
		// a database nowhere: the command line is refused before anything would connect
		AppProcess.Result result = env.app.arg("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere").run("exprot");
		assertThat(result.exitCode()).isEqualTo(64);
		assertThat(result.output()).contains("Unmatched argument at index 0: 'exprot'");
	}

	@Test
	void handshakeOverMutualTlsWithPemSecretsFromTheEnvironment() {
		TestPki pki = TestPki.create("X26ABC1");
		String passphrase = "E2e-Pa55phrase";
		try (MeshSandbox tls = MeshSandbox.start(pki.serverContext(), true, MeshSandbox.PUBLIC_SANDBOX_MAILBOXES,
				MeshSandbox.SHARED_KEY)) {
			E2eEnvironment env = new E2eEnvironment("mtls", tls, this.outputDir);
			env.app.env("MESH_CERTIFICATE", pki.clientCertificatePem())
				.env("MESH_PRIVATE_KEY", pki.clientKeyPkcs8Encrypted(passphrase))
				.env("MESH_PRIVATE_KEY_PASSPHRASE", passphrase)
				.env("MESH_CA_BUNDLE", pki.caBundlePem());

			AppProcess.Result result = env.app.run("handshake");

			assertThat(result.exitCode()).as(result.output()).isZero();
			assertThat(result.output()).contains("MESH mailbox X26ABC1 validated").doesNotContain(passphrase);
			assertThat(tls.authorizationHeaders()).hasSize(1);
		}
	}

	@Test
	void exportTrackAndStatusThroughTheJar() throws Exception {
		sandbox.reset();
		E2eEnvironment env = new E2eEnvironment("pipeline", sandbox, this.outputDir);
		assertThat(env.app.run("generate-demo-data", "--records=500").exitCode()).isZero();

		AppProcess.Result export = env.app.run("export", "--run-date=2026-11-24");
		assertThat(export.exitCode()).as(export.output()).isZero();
		assertThat(sandbox.messagesTo("X26ABC2")).hasSize(4);
		for (MeshSandbox.Message message : sandbox.messagesTo("X26ABC2")) {
			sandbox.acknowledge(message.id);
		}

		AppProcess.Result track = env.app.run("track");
		assertThat(track.exitCode()).as(track.output()).isZero();
		assertThat(env.jdbc.sql("SELECT DISTINCT status FROM dps_exports").query(String.class).list())
			.containsExactly("ACKNOWLEDGED");

		AppProcess.Result status = env.app.run("status");
		assertThat(status.exitCode()).isZero();
		assertThat(status.output()).contains("dpsTrackJob").contains("dpsExportJob").contains("ACKNOWLEDGED")
			.contains("programme=td_ipv runDate=2026-11-24").doesNotContain("password");
	}

	@Test
	void restartLastFailedFinishesAnExportThatMeshRefused() throws Exception {
		sandbox.reset();
		E2eEnvironment env = new E2eEnvironment("last_failed", sandbox, this.outputDir);
		env.seed(300, 42);
		// 429 on every try: MESH refused the message without storing it, so a restart may send it at once
		sandbox.failNext(1_000, 429, MeshSandbox.post("/outbox"));

		AppProcess.Result failed = env.app.run("export", "--programme=hpv", "--run-date=2026-11-24");
		assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
		assertThat(failed.output()).contains("HPV      FAILED");
		assertThat(sandbox.messages()).isEmpty();
		sandbox.behave();

		AppProcess.Result restarted = env.app.run("restart", "--last-failed");

		assertThat(restarted.exitCode()).as(restarted.output()).isZero();
		assertThat(restarted.output()).contains("dpsExportJob execution 2: COMPLETED");
		assertThat(sandbox.messagesTo("X26ABC2")).hasSize(1);
		assertThat(env.jdbc.sql("SELECT status FROM dps_exports").query(String.class).single()).isEqualTo("SENT");
		AppProcess.Result nothingLeft = env.app.run("restart", "--last-failed");
		assertThat(nothingLeft.exitCode()).isZero();
		assertThat(nothingLeft.output()).contains("No failed job execution to restart.");
	}

	@Test
	void springBootsOwnJobLaunchStillWorks() {
		E2eEnvironment env = new E2eEnvironment("boot_launch", sandbox, this.outputDir);
		AppProcess.Result result = env.app.run("--spring.batch.job.name=meshValidateMailboxJob",
				"run.at=2026-11-24T06:15:00,java.time.LocalDateTime");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("MESH mailbox X26ABC1 validated");
		assertThat(env.jdbc.sql("SELECT status FROM batch_job_execution").query(String.class).list())
			.containsExactly("COMPLETED");
	}

}

package uk.nhs.vaccinations.dpsexport.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestMesh;

import static org.assertj.core.api.Assertions.assertThat;

/** jobs/bin/dps-mesh-export, the schedules' launcher: its prepared Class Data Sharing archive and exit codes. */
class LauncherIT {

	// the launches here never reach MESH: the per-JVM sandbox serves as the setting
	private final MeshSandbox sandbox = TestMesh.sandbox();

	@TempDir
	Path outputDir;

	@TempDir
	Path cache;

	@Test
	void aPreparedReleaseLoadsItsClassesFromTheTrainingRunsArchive() throws Exception {
		E2eEnvironment env = new E2eEnvironment("launcher", this.sandbox, this.outputDir);
		env.app.viaLauncher(this.cache).env("MESH_JOBS_ENABLED", "false");
		Path classLoading = this.outputDir.resolve("class-load.log");
		env.app.env("JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + classLoading);

		AppProcess.Result unprepared = env.app.run("status");
		assertThat(unprepared.exitCode()).as(unprepared.output()).isZero();
		assertThat(Files.readString(classLoading)).doesNotContain("shared objects file (top)");
		assertThat(archives()).as("a launch writes nothing").isEmpty();

		AppProcess.Result prepare = env.app.run("--prepare");
		assertThat(prepare.exitCode()).as(prepare.output()).isZero();
		assertThat(prepare.output()).contains("dps-mesh-export: prepared " + this.cache);
		assertThat(archives()).hasSize(1);

		AppProcess.Result disabled = env.app.run("handshake");
		assertThat(disabled.exitCode()).as(disabled.output()).isEqualTo(4);
		AppProcess.Result status = env.app.run("status");
		assertThat(status.exitCode()).as(status.output()).isZero();
		assertThat(status.output()).contains("meshValidateMailboxJob  COMPLETED  DISABLED");
		assertThat(Files.readString(classLoading))
			.contains("uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication source: shared objects file (top)")
			.contains("org.springframework.batch.core.job.Job source: shared objects file (top)");
	}

	@Test
	void aTrainingRunThatCannotStartPreparesNothing() throws Exception {
		E2eEnvironment env = new E2eEnvironment("launcher_bad", this.sandbox, this.outputDir);
		env.app.viaLauncher(this.cache).arg("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nothing_listens");

		AppProcess.Result prepare = env.app.run("--prepare");

		assertThat(prepare.exitCode()).as(prepare.output()).isEqualTo(1);
		assertThat(prepare.output()).contains("the training run failed; no archive prepared")
			.contains("Connection refused");
		assertThat(archives()).as("no archive kept").isEmpty();
	}

	@Test
	void withCdsOffOrAFlightRecordingItIsPlainJavaJar() throws Exception {
		E2eEnvironment env = new E2eEnvironment("launcher_off", this.sandbox, this.outputDir);
		env.app.viaLauncher(this.cache).env("MESH_JOBS_ENABLED", "false");
		AppProcess.Result prepare = env.app.run("--prepare");
		assertThat(prepare.exitCode()).as(prepare.output()).isZero();
		Path classLoading = this.outputDir.resolve("class-load.log");

		env.app.env("DPS_MESH_EXPORT_CDS", "off").env("JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + classLoading);
		AppProcess.Result off = env.app.run("export");
		assertThat(off.exitCode()).as(off.output()).isEqualTo(4);
		assertThat(Files.readString(classLoading)).doesNotContain("shared objects file (top)");

		Path flight = this.outputDir.resolve("status.jfr");
		env.app.env("DPS_MESH_EXPORT_CDS", "on").env("JAVA_OPTS",
				"-Xmx256m -XX:StartFlightRecording=filename=" + flight + " -Xlog:class+load=info:file=" + classLoading);
		AppProcess.Result status = env.app.run("status");

		assertThat(status.exitCode()).as(status.output()).isZero();
		assertThat(status.output()).contains("-XX:StartFlightRecording=filename=" + flight
				+ " in JAVA_OPTS: launching without Class Data Sharing");
		assertThat(flight).isNotEmptyFile();
		assertThat(Files.readString(classLoading))
			.contains("uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication source: ")
			.doesNotContain("shared objects file (top)");
	}

	private List<Path> archives() throws IOException {
		try (Stream<Path> files = Files.walk(this.cache)) {
			return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
		}
	}

}

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

/** jobs/bin/dps-mesh-export, the schedules' launcher: exit codes and its Class Data Sharing archive. */
class LauncherIT {

	// the launches here never reach MESH: the per-JVM sandbox serves as the setting
	private final MeshSandbox sandbox = TestMesh.sandbox();

	@TempDir
	Path outputDir;

	@TempDir
	Path cache;

	@Test
	void theFirstLaunchThatRunsACommandRecordsTheArchiveAndLaterLaunchesLoadTheirClassesFromIt() throws Exception {
		E2eEnvironment env = new E2eEnvironment("launcher", this.sandbox, this.outputDir);
		env.app.viaLauncher(this.cache);

		env.app.env("MESH_PASSWORD", "");
		AppProcess.Result badConfig = env.app.run("handshake");
		assertThat(badConfig.exitCode()).as(badConfig.output()).isEqualTo(78);
		assertThat(badConfig.output()).contains("mesh.password is required");
		assertThat(archives()).as("a launch stopped by its configuration loaded too little to keep").isEmpty();

		env.app.env("MESH_PASSWORD", "password").env("MESH_JOBS_ENABLED", "false");
		AppProcess.Result disabled = env.app.run("handshake");
		assertThat(disabled.exitCode()).as(disabled.output()).isEqualTo(4);
		assertThat(archives()).hasSize(1);

		Path classLoading = this.outputDir.resolve("class-load.log");
		env.app.env("JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:file=" + classLoading);
		AppProcess.Result status = env.app.run("status");

		assertThat(status.exitCode()).as(status.output()).isZero();
		assertThat(status.output()).contains("meshValidateMailboxJob  COMPLETED  DISABLED");
		assertThat(Files.readString(classLoading))
			.contains("uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication source: shared objects file (top)")
			.contains("org.springframework.batch.core.job.Job source: shared objects file (top)");
	}

	@Test
	void withCdsOffItIsPlainJavaJarAndWritesNothing() throws Exception {
		E2eEnvironment env = new E2eEnvironment("launcher_off", this.sandbox, this.outputDir);
		env.app.viaLauncher(this.cache).env("DPS_MESH_EXPORT_CDS", "off").env("MESH_JOBS_ENABLED", "false");

		AppProcess.Result disabled = env.app.run("export");

		assertThat(disabled.exitCode()).as(disabled.output()).isEqualTo(4);
		try (Stream<Path> files = Files.list(this.cache)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void aFlightRecordingInJavaOptsLaunchesWithoutTheArchive() throws Exception {
		E2eEnvironment env = new E2eEnvironment("launcher_jfr", this.sandbox, this.outputDir);
		env.app.viaLauncher(this.cache).env("MESH_JOBS_ENABLED", "false");
		AppProcess.Result recording = env.app.run("status");
		assertThat(recording.exitCode()).as(recording.output()).isZero();
		assertThat(archives()).hasSize(1);

		Path classLoading = this.outputDir.resolve("class-load.log");
		Path flight = this.outputDir.resolve("status.jfr");
		env.app.env("JAVA_OPTS",
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

package uk.nhs.vaccinations.dpsexport.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

/** An end-to-end test class with a MESH sandbox of its own for the class, and an output folder per test. */
abstract class SandboxedIT {

	static MeshSandbox sandbox;

	@TempDir
	Path outputDir;

	@BeforeAll
	static void startSandbox() {
		sandbox = MeshSandbox.http();
	}

	@AfterAll
	static void stopSandbox() {
		sandbox.close();
	}

}

package uk.nhs.vaccinations.dpsexport.support;

import java.util.Map;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

/** One MESH sandbox per test JVM (plain HTTP on loopback), shared by the Spring tests. */
public final class TestMesh {

	public static final String SENDER = "X26ABC1";

	public static final String DPS = "X26ABC2";

	private static MeshSandbox sandbox;

	private TestMesh() {
	}

	public static synchronized MeshSandbox sandbox() {
		if (sandbox == null) {
			sandbox = MeshSandbox.http();
			MeshSandbox started = sandbox;
			Runtime.getRuntime().addShutdownHook(new Thread(started::close));
		}
		return sandbox;
	}

	/** The settings that point the application at the sandbox, MESH jobs on. */
	public static Map<String, Object> properties() {
		return Map.of("mesh.jobs-enabled", "true", "mesh.base-url", sandbox().baseUrl().toString(), "mesh.mailbox",
				SENDER, "mesh.password", "password", "mesh.shared-key", MeshSandbox.SHARED_KEY, "mesh.dps-mailbox", DPS,
				"mesh.initial-backoff", "10ms", "mesh.max-backoff", "50ms");
	}

}

package uk.nhs.vaccinations.dpsexport.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The packaged application run as `java -jar` in a child process, as a scheduler runs it. */
final class AppProcess {

	static final Path JAR = Path.of(System.getProperty("app.jar", "target/dps-mesh-export-0.1.0-SNAPSHOT.jar"));

	private static final Path LOGS = Path.of("target", "e2e-logs");

	private static final AtomicInteger RUNS = new AtomicInteger();

	record Result(int exitCode, String output) {
	}

	private final List<String> commonArgs = new ArrayList<>();

	private final Map<String, String> env = new LinkedHashMap<>();

	private final String name;

	AppProcess(String name) {
		this.name = name;
	}

	/** Adds an argument; a {@code --name=value} setting given again replaces the earlier one. */
	AppProcess arg(String arg) {
		if (arg.startsWith("--") && arg.contains("=")) {
			String name = arg.substring(0, arg.indexOf('=') + 1);
			this.commonArgs.removeIf(existing -> existing.startsWith(name));
		}
		this.commonArgs.add(arg);
		return this;
	}

	AppProcess env(String key, String value) {
		this.env.put(key, value);
		return this;
	}

	private Path launcherCache;

	/**
	 * Launches through jobs/bin/dps-mesh-export, as the schedules do, keeping its extraction and
	 * Class Data Sharing archive in {@code cache}; JAVA_OPTS set with {@link #env} reach the JVM.
	 */
	AppProcess viaLauncher(Path cache) {
		this.launcherCache = cache;
		return this;
	}

	Process start(String... command) {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> cmd = new ArrayList<>();
		if (this.launcherCache != null) {
			cmd.addAll(List.of("bash", "jobs/bin/dps-mesh-export"));
		}
		else {
			// C1 only: these runs are short and small, and on 2 cores C2's compilations only compete
			// with the test's other processes for them
			cmd.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
		}
		cmd.addAll(List.of(command));
		cmd.addAll(this.commonArgs);
		ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
		if (this.launcherCache != null) {
			builder.environment().put("DPS_MESH_EXPORT_JAR", JAR.toAbsolutePath().toString());
			builder.environment().put("DPS_MESH_EXPORT_CACHE", this.launcherCache.toString());
			builder.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
		}
		builder.environment().putAll(this.env);
		try {
			Files.createDirectories(LOGS);
			Path log = LOGS.resolve(this.name + "-" + RUNS.incrementAndGet() + "-" + command[0] + ".log");
			builder.redirectOutput(log.toFile());
			Process process = builder.start();
			this.logs.put(process, log);
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private final Map<Process, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();

	Result run(String... command) {
		Process process = start(command);
		return await(process, Duration.ofMinutes(3));
	}

	Result await(Process process, Duration timeout) {
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("Process did not finish in " + timeout + "; log " + this.logs.get(process));
			}
			return new Result(process.exitValue(), output(process));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	String output(Process process) {
		try {
			return Files.readString(this.logs.get(process));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** SIGKILL: no shutdown hooks, no finally blocks, no chance to update the job repository. */
	void kill(Process process) throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
		if (process.exitValue() != 137) {
			throw new AssertionError("Expected SIGKILL's exit 137, got " + process.exitValue());
		}
	}

}

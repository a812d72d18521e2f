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

import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/**
 * The packaged application run in a child process, as a scheduler runs it: through
 * jobs/bin/dps-mesh-export, prepared once for the whole test run as an installation is prepared
 * once per release (its extracted jar and Class Data Sharing archive, which cut a second from
 * each of the suite's launches), or as plain {@code java -jar} where the preparing fails.
 */
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

	/** The whole test run's installation of the jar, prepared by the first launch. */
	private static final Path SHARED_CACHE = Path.of("target", "e2e-launcher");

	/** These runs are short and small: C1 only, since on 2 cores C2's compilations compete with the test's other processes. */
	private static final String SHARED_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

	private static boolean sharedCachePrepared;

	/** Its own database: the training run starts the application, which must not touch a test's. */
	private static synchronized void prepareSharedCache() {
		if (sharedCachePrepared) {
			return;
		}
		sharedCachePrepared = true;
		AppProcess training = new AppProcess("training").viaLauncher(SHARED_CACHE)
			.env("JAVA_OPTS", SHARED_JAVA_OPTS)
			.arg("--spring.datasource.url=" + TestPostgres.createDatabase("e2e_launcher"))
			.arg("--spring.datasource.username=postgres")
			.arg("--dps.output-dir=" + SHARED_CACHE.resolve("files"));
		Result prepared = training.run("--prepare");
		if (prepared.exitCode() != 0) {
			System.err.println("AppProcess: the launcher could not be prepared; launches are plain java -jar:\n"
					+ prepared.output());
		}
	}

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
		Path cache = this.launcherCache;
		if (cache == null) {
			prepareSharedCache();
			cache = SHARED_CACHE;
		}
		cmd.addAll(List.of("bash", "jobs/bin/dps-mesh-export"));
		cmd.addAll(List.of(command));
		cmd.addAll(this.commonArgs);
		ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
		builder.environment().put("DPS_MESH_EXPORT_JAR", JAR.toAbsolutePath().toString());
		builder.environment().put("DPS_MESH_EXPORT_CACHE", cache.toString());
		builder.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
		if (this.launcherCache == null) {
			builder.environment().put("JAVA_OPTS", SHARED_JAVA_OPTS);
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
		if (!killUnlessEnded(process)) {
			throw new AssertionError("Expected SIGKILL's exit 137, got 0: the process ended by itself first");
		}
	}

	/**
	 * SIGKILLs the process and returns true; false when it ended by itself (exit 0) in the moment
	 * before the signal: a JVM already inside its exit ignores the signal.
	 */
	boolean killUnlessEnded(Process process) throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(30, TimeUnit.SECONDS);
		if (process.exitValue() == 0) {
			return false;
		}
		if (process.exitValue() != 137) {
			throw new AssertionError("Expected SIGKILL's exit 137, got " + process.exitValue());
		}
		return true;
	}

}

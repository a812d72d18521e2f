package uk.nhs.vaccinations.dpsexport.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import uk.nhs.vaccinations.dpsexport.mesh.sandbox.FaultProxy;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.FaultProxy.Fault;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar against the sandbox through a proxy that loses, delays, cuts and refuses MESH's
 * replies. Each case checks, by reading the whole DPS mailbox: every record exactly once (and
 * accepted by DPS's side), the export's message id stored, {@code track} reaching ACKNOWLEDGED,
 * and the next night not held up.
 */
class MeshFaultsIT extends SandboxedIT {

	static FaultProxy proxy;

	@BeforeAll
	static void startProxy() {
		proxy = new FaultProxy(sandbox.baseUrl());
	}

	@AfterAll
	static void stopProxy() {
		proxy.close();
	}

	@BeforeEach
	void reset() {
		sandbox.reset();
		proxy.clear();
	}

	E2eEnvironment environment(String name, String... settings) {
		E2eEnvironment env = new E2eEnvironment(name, sandbox, proxy.baseUrl(), this.outputDir);
		env.app.arg("--mesh.response-timeout=3s");
		for (String setting : settings) {
			env.app.arg(setting);
		}
		env.seed(1500, 7);
		return env;
	}

	static AppProcess.Result export(E2eEnvironment env) {
		return env.app.run("export", "--programme=hpv", "--run-date=2026-11-24");
	}

	/** What every fault case must end with. */
	static void deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(E2eEnvironment env, List<String> expected)
			throws Exception {
		assertThat(env.deliveredRows()).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
		MeshSandbox.Message message = sandbox.messagesTo("X26ABC2").get(0);
		assertThat(sandbox.messagesTo("X26ABC2")).as("one MESH message").hasSize(1);
		assertThat(env.jdbc.sql("SELECT mesh_message_id FROM dps_exports").query(String.class).single())
			.as("the export's message id").isEqualTo(message.id);
		sandbox.acknowledge(message.id);
		AppProcess.Result track = env.app.run("track");
		assertThat(track.exitCode()).as(track.output()).isZero();
		assertThat(env.jdbc.sql("SELECT status FROM dps_exports").query(String.class).single()).isEqualTo("ACKNOWLEDGED");
		AppProcess.Result nextNight = env.app.run("export", "--programme=hpv", "--run-date=2026-11-25");
		assertThat(nextNight.exitCode()).as(nextNight.output()).isZero();
		assertThat(sandbox.messagesTo("X26ABC2")).as("nothing sent again").hasSize(1);
	}

	@Test
	void aLostReplyToASingleChunkSend() throws Exception {
		E2eEnvironment env = environment("fault_lost_single");
		proxy.on("POST", ".*/outbox", 1, Fault.LOSE_REPLY);

		AppProcess.Result run = export(env);

		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(run.output()).contains("adopting it");
		deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(env, env.hpvRecords());
	}

	@Test
	void aLostReplyToChunkOneOfAChunkedSend() throws Exception {
		E2eEnvironment env = environment("fault_lost_chunk1", "--mesh.chunk-size=64KB");
		proxy.on("POST", ".*/outbox", 1, Fault.LOSE_REPLY);

		AppProcess.Result run = export(env);

		assertThat(run.exitCode()).as(run.output()).isZero();
		assertThat(sandbox.messagesTo("X26ABC2").get(0).chunkCount).isGreaterThan(2);
		deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(env, env.hpvRecords());
	}

	@Test
	void chunkThreeRefusedBeyondTheRetryBudgetThenALaterRunSendsOnlyTheMissingChunks() throws Exception {
		E2eEnvironment env = environment("fault_chunk3", "--mesh.chunk-size=64KB", "--mesh.max-attempts=3");
		proxy.refuse("POST", ".*/outbox/[^/]+/3", 3, 503, null);

		AppProcess.Result failed = export(env);

		assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
		int before = proxy.seen().size();
		AppProcess.Result later = export(env);
		assertThat(later.exitCode()).as(later.output()).isZero();
		assertThat(proxy.seen().subList(before, proxy.seen().size()))
			.as("the later run sends no first POST and no chunk 2 again")
			.noneMatch(seen -> seen.method().equals("POST") && seen.path().matches(".*/outbox(/[^/]+/2)?"));
		deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(env, env.hpvRecords());
	}

	@Test
	void aFirstPostMeshStoresAfterTheClientGaveUpIsNeverSentTwice() throws Exception {
		E2eEnvironment env = environment("fault_late", "--mesh.response-timeout=2s", "--mesh.send-settle-time=60s");
		proxy.storeLate("POST", ".*/outbox", Duration.ofSeconds(15));

		AppProcess.Result uncertain = export(env);

		assertThat(uncertain.exitCode()).as(uncertain.output()).isEqualTo(1);
		assertThat(uncertain.output()).contains("not sent again now");
		assertThat(sandbox.messages()).as("MESH has not stored it yet, and nothing was sent again").isEmpty();
		AppProcess.Result status = env.app.run("status");
		assertThat(status.output()).contains("upload uncertain since");
		// (a run before the settle time that still finds nothing refuses: ExportPipelineTest pins that)
		Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> sandbox.messages().size() == 1);

		AppProcess.Result adopted = export(env);

		assertThat(adopted.exitCode()).as(adopted.output()).isZero();
		assertThat(adopted.output()).contains("adopting it");
		deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(env, env.hpvRecords());
	}

	@Test
	void aCutShortReplyToTheFirstPost() throws Exception {
		E2eEnvironment env = environment("fault_cut");
		proxy.on("POST", ".*/outbox", 1, Fault.CUT_REPLY);

		AppProcess.Result run = export(env);

		assertThat(run.exitCode()).as(run.output()).isZero();
		deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(env, env.hpvRecords());
	}

	@Test
	void tooManyRequestsWithAndWithoutRetryAfter() throws Exception {
		E2eEnvironment env = environment("fault_429", "--mesh.chunk-size=64KB", "--mesh.max-backoff=10s");
		proxy.refuse("POST", ".*/outbox", 1, 429, "3");
		proxy.refuse("POST", ".*/outbox/[^/]+/2", 1, 429, null);

		AppProcess.Result run = export(env);

		assertThat(run.exitCode()).as(run.output()).isZero();
		List<FaultProxy.Seen> firstPosts = proxy.seen().stream().filter(s -> s.path().endsWith("/outbox")).toList();
		assertThat(firstPosts).hasSize(2);
		assertThat(Duration.between(firstPosts.get(0).at(), firstPosts.get(1).at()))
			.as("no sooner than Retry-After asked").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
		deliveredExactlyOnceTrackedAndNotHoldingUpTheNextNight(env, env.hpvRecords());
	}

	@Test
	void aFailedUploadWithChunksStillGzippingEndsTheProcess() throws Exception {
		// small chunks: the compress-ahead threads are busy when the upload gives up on chunk 2
		E2eEnvironment env = environment("fault_gzip_exit", "--mesh.chunk-size=8KB", "--mesh.max-attempts=2");
		proxy.refuse("POST", ".*/outbox/[^/]+/2", 100, 503, null);

		Process process = env.app.start("export", "--programme=hpv", "--run-date=2026-11-24");

		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the process ended").isTrue();
		assertThat(process.exitValue()).isEqualTo(1);
		try (var chunks = java.nio.file.Files.list(this.outputDir)) {
			assertThat(chunks.filter(f -> f.getFileName().toString().contains(".mesh-chunk-")))
				.as("no gzipped chunk left behind").isEmpty();
		}
	}

}

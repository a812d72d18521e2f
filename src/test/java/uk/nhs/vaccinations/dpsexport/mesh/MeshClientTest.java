package uk.nhs.vaccinations.dpsexport.mesh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.OutgoingMessage;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.SendResult;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against the sandbox over real HTTP on loopback. */
class MeshClientTest {

	static MeshSandbox sandbox;

	@TempDir
	Path dir;

	final List<Duration> sleeps = new ArrayList<>();

	MeshClient client;

	@BeforeAll
	static void startSandbox() {
		sandbox = MeshSandbox.http();
	}

	@AfterAll
	static void stopSandbox() {
		sandbox.close();
	}

	@BeforeEach
	void setUp() {
		sandbox.reset();
		this.client = client(MeshSettings.to(sandbox.baseUrl()));
	}

	@AfterEach
	void tearDown() throws Exception {
		this.client.close();
	}

	MeshClient client(MeshSettings settings) {
		return new MeshClient(settings.build(), Clock.systemUTC(), this.sleeps::add);
	}

	@Test
	void handshakeValidatesTheMailbox() {
		assertThat(this.client.handshake()).isEqualTo("X26ABC1");
		assertThat(sandbox.authorizationHeaders()).singleElement().asString().startsWith("NHSMESH X26ABC1:");
	}

	@Test
	void aSmallFileArrivesIntactWithItsNameAndLocalId() throws Exception {
		Path file = file("small.csv", 3_000);

		SendResult sent = this.client.send(file, message("Vaccinations-HPV-2026-11-24.csv", "local-1"));

		MeshSandbox.Message received = only();
		assertThat(received.id).isEqualTo(sent.messageId());
		assertThat(received.payload()).isEqualTo(Files.readAllBytes(file));
		assertThat(received.contentEncoding).isEqualTo("gzip");
		assertThat(received.recipient).isEqualTo("X26ABC2");
		assertThat(received.workflowId).isEqualTo("dps export");
		assertThat(received.fileName).isEqualTo("Vaccinations-HPV-2026-11-24.csv");
		MeshClient.TrackingInfo tracking = this.client.track(sent.messageId());
		assertThat(tracking.status()).isEqualTo("accepted");
		assertThat(tracking.localId()).isEqualTo("local-1");
		assertThat(this.client.findByLocalId("local-1")).get().extracting(MeshClient.TrackingInfo::messageId)
			.isEqualTo(sent.messageId());
		assertThat(this.client.findByLocalId("no-such-local-id")).isEmpty();
	}

	@Test
	void aLargeFileGoesInChunksEachGzippedOnItsOwn() throws Exception {
		MeshClient chunking = client(MeshSettings.to(sandbox.baseUrl()).chunkSize(DataSize.ofKilobytes(4)));
		Path file = file("large.csv", 4096 * 5 + 123);

		SendResult sent = chunking.send(file, message("big.csv", "local-2"));

		assertThat(sent.chunks()).isEqualTo(6);
		MeshSandbox.Message received = only();
		assertThat(received.chunkCount).isEqualTo(6);
		assertThat(received.status()).isEqualTo("accepted");
		assertThat(received.payload()).isEqualTo(Files.readAllBytes(file));
		assertThat(this.dir).as("every gzipped chunk deleted once sent").isDirectoryNotContaining("glob:**.gz");
		chunking.close();
	}

	@Test
	void chunksAKilledUploadLeftBesideTheFileAreDeletedByTheNextUpload() throws Exception {
		MeshClient chunking = client(MeshSettings.to(sandbox.baseUrl()).chunkSize(DataSize.ofKilobytes(4)));
		Path file = file("large.csv", 4096 * 3);
		Path leftover = MeshClient.chunkFile(file, 3);
		Files.writeString(leftover, "half a chunk from a killed process");
		Path unrelated = Files.writeString(this.dir.resolve("other.csv.mesh-chunk-1.gz"), "another file's");

		chunking.send(file, message("big.csv", "local-4"));

		assertThat(leftover).doesNotExist();
		assertThat(unrelated).exists();
		assertThat(only().payload()).isEqualTo(Files.readAllBytes(file));
		chunking.close();
	}

	@Test
	void anInboxOfSeveralPagesIsListedWholeByFollowingTheNextLinks() throws Exception {
		Path file = file("tiny.csv", 100);
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			sent.add(this.client.send(file, message("tiny-" + i + ".csv", "local-page-" + i)).messageId());
		}
		sandbox.limitInboxPages(10);
		MeshClient recipient = client(MeshSettings.to(sandbox.baseUrl()).mailbox("X26ABC2", "password"));

		assertThat(recipient.listInbox()).containsExactlyInAnyOrderElementsOf(sent).doesNotHaveDuplicates();
		assertThat(sandbox.inboxListings()).hasSize(3);
		assertThat(sandbox.inboxListings().get(2)).contains("continue_from=");
		recipient.close();
	}

	@Test
	void theRecipientListsDownloadsAndAcknowledges() throws Exception {
		MeshClient sender = client(MeshSettings.to(sandbox.baseUrl()).chunkSize(DataSize.ofKilobytes(2)));
		Path file = file("for-x26abc2.csv", 7_000);
		String id = sender.send(file, message("for-x26abc2.csv", "local-3")).messageId();
		MeshClient recipient = client(MeshSettings.to(sandbox.baseUrl()).mailbox("X26ABC2", "password"));

		assertThat(recipient.listInbox()).containsExactly(id);
		Path target = this.dir.resolve("downloaded.csv");
		MeshClient.DownloadedMessage downloaded = recipient.download(id, target);
		assertThat(downloaded.chunks()).isEqualTo(4);
		assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(file));
		assertThat(downloaded.headers()).containsEntry("mex-filename", "for-x26abc2.csv")
			.containsEntry("mex-localid", "local-3");

		recipient.acknowledge(id);

		assertThat(recipient.listInbox()).isEmpty();
		assertThat(sender.track(id).status()).isEqualTo("acknowledged");
		sender.close();
		recipient.close();
	}

	@Test
	void transientFailuresAreRetriedWithGrowingBackoff() {
		sandbox.failNext(3, 503);

		assertThat(this.client.handshake()).isEqualTo("X26ABC1");

		assertThat(this.sleeps).hasSize(3);
		// 10ms doubling, jittered between half and all: [5,10], [10,20], [20,40]
		assertThat(this.sleeps.get(0).toMillis()).isBetween(5L, 10L);
		assertThat(this.sleeps.get(2).toMillis()).isBetween(20L, 40L);
	}

	@Test
	void theRetryBudgetEndsInATypedException() {
		sandbox.failNext(10, 503);

		assertThatThrownBy(this.client::handshake).isInstanceOfSatisfying(MeshException.class, ex -> {
			assertThat(ex.httpStatus()).isEqualTo(503);
			assertThat(ex.operation()).isEqualTo("handshake");
			assertThat(ex.getMessage()).contains("MESH handshake for mailbox X26ABC1 failed: HTTP 503");
		});
		assertThat(sandbox.authorizationHeaders()).isEmpty(); // the sandbox failed them before authenticating
		assertThat(this.sleeps).hasSize(4);
	}

	@Test
	void aDroppedConnectionOnAChunkIsRetried() throws Exception {
		MeshClient chunking = client(MeshSettings.to(sandbox.baseUrl()).chunkSize(DataSize.ofKilobytes(1)));
		sandbox.failNext(2, 502, MeshSandbox.post("/outbox/[^/]+/3"));
		sandbox.dropConnectionOnNext(1, MeshSandbox.post("/outbox/[^/]+/2"));
		Path file = file("chunks.csv", 3_500);

		chunking.send(file, message("chunks.csv", "local-4"));

		assertThat(only().payload()).isEqualTo(Files.readAllBytes(file));
		assertThat(this.sleeps).hasSize(3);
		chunking.close();
	}

	@Test
	void aLostResponseToTheFirstPostDoesNotDuplicateTheMessage() throws Exception {
		sandbox.loseNextResponse(MeshSandbox.post("/outbox"));
		Path file = file("lost.csv", 1_000);

		SendResult sent = this.client.send(file, message("lost.csv", "local-5"));

		assertThat(sandbox.messages()).singleElement().satisfies(m -> assertThat(m.id).isEqualTo(sent.messageId()));
	}

	@Test
	void aFirstPostRefusedWith429IsSentAgainWithinTheBudget() throws Exception {
		// 429: MESH refused it before storing anything, so sending again cannot duplicate it
		sandbox.failNext(1, 429, MeshSandbox.post("/outbox"));
		Path file = file("busy.csv", 1_000);

		this.client.send(file, message("busy.csv", "local-6"));

		assertThat(sandbox.messages()).hasSize(1);
		assertThat(this.sleeps).hasSize(1);
	}

	@Test
	void aFirstPostAnswered503IsNeverSentAgainInTheSameBreath() throws Exception {
		// a 503 may come after MESH stored the message; the look-up finds none, so it stops, uncertain
		sandbox.failNext(5, 503, MeshSandbox.post("/outbox"));
		Path file = file("uncertain.csv", 1_000);

		assertThatThrownBy(() -> this.client.send(file, message("uncertain.csv", "local-9")))
			.isInstanceOfSatisfying(SendOutcomeUnknownException.class, ex -> {
				assertThat(ex.outcomeUnknown()).isTrue();
				assertThat(ex.localId()).isEqualTo("local-9");
				assertThat(ex.getMessage()).contains("HTTP 503").contains("not sent again now");
			});
		assertThat(sandbox.requestTimes()).as("one POST, one look-up").hasSize(2);
	}

	@Test
	void aFirstPostMeshStoresAfterTheClientGaveUpIsNotDuplicated() throws Exception {
		// MESH takes the request 2 s late; the client waits 1 s, looks up (nothing yet) and must stop
		MeshClient impatient = client(MeshSettings.to(sandbox.baseUrl()).responseTimeout(Duration.ofSeconds(1)));
		sandbox.delayNext(1, Duration.ofSeconds(2), MeshSandbox.post("/outbox"));
		Path file = file("late.csv", 1_000);

		assertThatThrownBy(() -> impatient.send(file, message("late.csv", "local-10")))
			.isInstanceOf(SendOutcomeUnknownException.class);

		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.messages().size() == 1);
		assertThat(impatient.findByLocalId("local-10")).get()
			.satisfies(found -> assertThat(found.messageId()).isEqualTo(only().id));
		impatient.close();
	}

	@Test
	void anUnreadable2xxReplyToTheFirstPostIsLookedUpNotTrusted() throws Exception {
		sandbox.rewriteNextResponse(MeshSandbox.post("/outbox"), body -> Arrays.copyOf(body, body.length / 2));
		Path file = file("truncated.csv", 1_000);

		SendResult sent = this.client.send(file, message("truncated.csv", "local-11"));

		assertThat(sent.messageId()).isEqualTo(only().id);
	}

	@Test
	void a2xxReplyNamingNoMessageIdIsLookedUpNeverStoredAsNull() throws Exception {
		sandbox.rewriteNextResponse(MeshSandbox.post("/outbox"), body -> "{}".getBytes(StandardCharsets.UTF_8));
		Path file = file("no-id.csv", 1_000);

		SendResult sent = this.client.send(file, message("no-id.csv", "local-12"));

		assertThat(sent.messageId()).isNotNull().isEqualTo(only().id);
	}

	@Test
	void retryAfterIsHonouredWithinTheBudget() throws Exception {
		MeshClient patient = client(MeshSettings.to(sandbox.baseUrl()).maxBackoff(Duration.ofSeconds(5)));
		sandbox.failNext(1, 429, "3", exchange -> true);

		patient.handshake();

		assertThat(this.sleeps).singleElement().satisfies(wait -> assertThat(wait).isGreaterThanOrEqualTo(
				Duration.ofSeconds(3)));
		sandbox.failNext(1, 503, "30", exchange -> true);
		assertThatThrownBy(patient::handshake).isInstanceOf(MeshException.class)
			.hasMessageContaining("MESH asked to retry after 30 s, longer than mesh.max-backoff (5 s)");
		patient.close();
	}

	@Test
	void withoutALocalIdAFailedFirstPostIsNotRetried() throws Exception {
		sandbox.failNext(1, 503, MeshSandbox.post("/outbox"));
		Path file = file("no-local-id.csv", 1_000);

		assertThatThrownBy(() -> this.client.send(file, message("no-local-id.csv", null)))
			.isInstanceOfSatisfying(MeshException.class, ex -> assertThat(ex.httpStatus()).isEqualTo(503));
		assertThat(sandbox.messages()).isEmpty();
	}

	@Test
	void anInterruptedChunkedUploadIsFinishedBySendingOnlyTheMissingChunks() throws Exception {
		MeshClient chunking = client(MeshSettings.to(sandbox.baseUrl()).chunkSize(DataSize.ofKilobytes(1)));
		sandbox.failNext(5, 503, MeshSandbox.post("/outbox/[^/]+/3"));
		Path file = file("resume.csv", 4_000);
		List<Integer> taken = new ArrayList<>();
		MeshClient.Progress progress = new MeshClient.Progress() {
			@Override
			public void chunkSent(int k, int n) {
				taken.add(k);
			}
		};
		assertThatThrownBy(() -> chunking.send(file, message("resume.csv", "local-7"), progress))
			.isInstanceOf(MeshException.class);
		assertThat(taken).containsExactly(1, 2);
		// the look-up by local id answers in MESH's v1 shape
		MeshClient.TrackingInfo found = chunking.findByLocalId("local-7").orElseThrow();
		assertThat(found.isUploading()).isTrue();
		assertThat(found.chunkCount()).isEqualTo(4);
		int requestsBefore = sandbox.requestTimes().size();

		chunking.resume(file, found.messageId(), 3, progress);

		assertThat(sandbox.requestTimes()).as("chunks 3 and 4 only").hasSize(requestsBefore + 2);
		assertThat(taken).containsExactly(1, 2, 3, 4);
		MeshSandbox.Message received = only();
		assertThat(received.status()).isEqualTo("accepted");
		assertThat(received.payload()).isEqualTo(Files.readAllBytes(file));
		// the last chunk again, as after a lost reply to it: MESH answers 423, which means complete
		chunking.resume(file, found.messageId(), 4, progress);
		assertThat(only().payload()).isEqualTo(Files.readAllBytes(file));
		chunking.close();
	}

	@Test
	void badCredentialsFailClearlyWithoutTheSecret() {
		MeshClient wrong = client(MeshSettings.to(sandbox.baseUrl()).mailbox("X26ABC1", "not-the-password"));

		assertThatThrownBy(wrong::handshake).isInstanceOfSatisfying(MeshException.class, ex -> {
			assertThat(ex.httpStatus()).isEqualTo(403);
			assertThat(ex.getMessage()).isEqualTo(
					"MESH handshake for mailbox X26ABC1 failed: HTTP 403 - Invalid Authentication Token")
				.doesNotContain("not-the-password");
		});
	}

	@Test
	void anUnknownRecipientIsRefusedWithMeshError12() throws Exception {
		Path file = file("nowhere.csv", 100);

		assertThatThrownBy(() -> this.client.send(file, new OutgoingMessage("X99XXX9", "dps export", "nowhere.csv",
				"local-8", null))).isInstanceOfSatisfying(MeshException.class, ex -> {
					assertThat(ex.httpStatus()).isEqualTo(417);
					assertThat(ex.errorCode()).isEqualTo("12");
					assertThat(ex.getMessage()).contains("Unregistered to address").contains("send nowhere.csv");
				});
	}

	@Test
	void aReusedTokenIsRefusedBySandbox() throws Exception {
		this.client.handshake();
		String used = sandbox.authorizationHeaders().get(0);
		var request = java.net.http.HttpRequest.newBuilder(sandbox.baseUrl().resolve("/messageexchange/X26ABC1"))
			.header("Authorization", used)
			.header("mex-ClientVersion", "t")
			.header("mex-OSName", "t")
			.header("mex-OSVersion", "t")
			.GET()
			.build();
		var response = java.net.http.HttpClient.newHttpClient()
			.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("Invalid Authentication Token");
	}

	private OutgoingMessage message(String fileName, String localId) {
		return new OutgoingMessage("X26ABC2", "dps export", fileName, localId, null);
	}

	private MeshSandbox.Message only() {
		assertThat(sandbox.messages()).hasSize(1);
		return sandbox.messages().get(0);
	}

	/** A text file of the given size, varied enough that gzip does not hide chunking mistakes. */
	Path file(String name, int size) throws Exception {
		Random random = new Random(size);
		StringBuilder text = new StringBuilder(size);
		while (text.length() < size) {
			text.append('"').append(random.nextInt(1_000_000)).append("\"|\"").append(Map.of(0, "Zoë", 1, "O'Brien",
					2, "Smith").get(random.nextInt(3))).append("\"\n");
		}
		Path file = this.dir.resolve(name);
		byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
		Files.write(file, java.util.Arrays.copyOf(bytes, size));
		return file;
	}

}

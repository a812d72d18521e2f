package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.OutgoingMessage;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.TrackingInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against NHS England's MESH sandbox as recorded in ../shared/mesh-sandbox-transcripts/:
 * a local server answers each request with a recorded response, exactly as it was received
 * (status, headers, body), and the client must read it right.
 */
class MeshClientContractTest {

	static final Path TRANSCRIPTS = Path.of("..", "shared", "mesh-sandbox-transcripts");

	static final JsonMapper JSON = JsonMapper.builder().build();

	final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();

	final List<String> requests = new ArrayList<>();

	HttpServer server;

	MeshClient client;

	@TempDir
	Path dir;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		this.server.createContext("/", exchange -> {
			try (exchange) {
				exchange.getRequestBody().readAllBytes();
				this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
				JsonNode response = JSON.readTree(TRANSCRIPTS.resolve(this.answers.remove() + ".json").toFile())
					.path("response");
				byte[] body = body(response);
				for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
					if (!header.getKey().equalsIgnoreCase("content-length")) {
						exchange.getResponseHeaders().add(header.getKey(), header.getValue().asString());
					}
				}
				exchange.sendResponseHeaders(response.path("status").asInt(), body.length == 0 ? -1 : body.length);
				exchange.getResponseBody().write(body);
			}
		});
		this.server.start();
		this.client = new MeshClient(MeshSettings.to(java.net.URI.create("http://localhost:" + this.server.getAddress()
			.getPort())).chunkSize(DataSize.ofKilobytes(1)).build(), java.time.Clock.systemUTC(), wait -> {
			});
	}

	@AfterEach
	void stop() throws IOException {
		this.client.close();
		this.server.stop(0);
	}

	void answerWith(String... cases) {
		this.answers.addAll(List.of(cases));
	}

	@Test
	void theLookUpByLocalIdReadsMeshsV1ShapeWhateverItAsked() {
		answerWith("04-track-by-local-id-uploading-v2");

		TrackingInfo found = this.client.findByLocalId("dps-chunked-v2").orElseThrow();

		assertThat(found.messageId()).isEqualTo("789D565946FA4728A088233F38F3E084");
		assertThat(found.status()).isEqualTo("uploading");
		assertThat(found.isUploading()).isTrue();
		assertThat(found.chunkCount()).isEqualTo(2);
		assertThat(found.localId()).isEqualTo("dps-chunked-v2");
		assertThat(this.requests).containsExactly("GET /messageexchange/X26ABC1/outbox/tracking/dps-chunked-v2");
	}

	@Test
	void aLocalIdMeshDoesNotKnowIsNoMessageAndOneItHoldsTwiceNeedsAPerson() {
		answerWith("04-track-by-local-id-unknown-v2", "08-track-by-local-id-duplicate-v2");

		assertThat(this.client.findByLocalId("no-such-local-id")).isEmpty();
		assertThatThrownBy(() -> this.client.findByLocalId("dps-duplicate"))
			.isInstanceOfSatisfying(MeshException.class, ex -> assertThat(ex.httpStatus()).isEqualTo(300))
			.hasMessageContaining("more than one message with local id dps-duplicate");
	}

	@Test
	void trackingByMessageIdReadsV2() {
		answerWith("04-track-by-message-id-accepted-v2", "04-track-by-message-id-acknowledged-v2");

		assertThat(this.client.track("4B4171CEA5FC45009E9428B84C0ED6C7")).satisfies(t -> {
			assertThat(t.messageId()).isEqualTo("4B4171CEA5FC45009E9428B84C0ED6C7");
			assertThat(t.status()).isEqualTo("accepted");
			assertThat(t.uploadTimestamp()).isEqualTo("2026-11-30T23:17:37.029350");
		});
		assertThat(this.client.track("4B4171CEA5FC45009E9428B84C0ED6C7").status()).isEqualTo("acknowledged");
	}

	@Test
	void aSingleChunkSendReadsTheMessageId() throws Exception {
		answerWith("02-send-gzip-v2");

		assertThat(this.client.send(file(500), message()).messageId()).isEqualTo("4B4171CEA5FC45009E9428B84C0ED6C7");
	}

	@Test
	void aChunkedSendTakesV2sNullReplyToAChunk() throws Exception {
		answerWith("03-chunked-send-chunk1-v2", "03-chunked-send-chunk2-v2");

		assertThat(this.client.send(file(1_500), message()).messageId()).isEqualTo("789D565946FA4728A088233F38F3E084");
		assertThat(this.requests).containsExactly("POST /messageexchange/X26ABC1/outbox",
				"POST /messageexchange/X26ABC1/outbox/789D565946FA4728A088233F38F3E084/2");
	}

	@Test
	void a423ToARepeatedLastChunkMeansTheMessageIsComplete() throws Exception {
		answerWith("08-send-chunk2-twice-v2");
		List<Integer> taken = new ArrayList<>();

		this.client.resume(file(1_500), "789D565946FA4728A088233F38F3E084", 2, new MeshClient.Progress() {
			@Override
			public void chunkSent(int k, int n) {
				taken.add(k);
			}
		});

		assertThat(taken).containsExactly(2);
	}

	@Test
	void theHandshakesEmptyV2ReplyIsASuccess() {
		answerWith("01-handshake-v2-with-client-headers");

		assertThat(this.client.handshake()).isEqualTo("X26ABC1");
	}

	@Test
	void theInboxIsListedWholeByFollowingTheRelativeNextLink() {
		answerWith("05-inbox-v2-page1-max10", "05-inbox-v2-page2-follow-links-next");

		assertThat(this.client.listInbox()).hasSize(12).startsWith("A6B67826AE3C460DBD42CE804BFB3A43")
			.endsWith("C3059F168B664D11BDE8CC408CE8A581");
		assertThat(this.requests.get(1)).startsWith("GET /messageexchange/X26ABC3/inbox?max_results=10&continue_from=");
	}

	@Test
	void aDownloadMeshSentGzippedIsUnzippedOnceWhateverMexContentCompressedSays() throws Exception {
		answerWith("06-download-chunked-chunk1-v2-accept-encoding-gzip", "06-download-chunked-chunk2-v2-accept-encoding-gzip");
		Path target = this.dir.resolve("downloaded.csv");

		MeshClient.DownloadedMessage message = this.client.download("789D565946FA4728A088233F38F3E084", target);

		assertThat(Files.readString(target)).isEqualTo("id,value\n1,chunk one of two\n2,chunk two of two\n");
		assertThat(message.chunks()).isEqualTo(2);
		assertThat(message.headers()).containsEntry("mex-filename", "dps-chunked-v2.csv")
			.containsEntry("mex-content-compressed", "Y");
	}

	@Test
	void aPlainDownloadAndTheAcknowledgement() throws Exception {
		answerWith("06-download-single-gzip-sent-v2", "07-ack-v2");
		Path target = this.dir.resolve("single.csv");

		this.client.download("4B4171CEA5FC45009E9428B84C0ED6C7", target);
		this.client.acknowledge("4B4171CEA5FC45009E9428B84C0ED6C7");

		assertThat(Files.readString(target)).isEqualTo("id,value\n1,small message sent with Accept v2\n");
	}

	@Test
	void meshErrorsAreReadInEitherShape() throws Exception {
		answerWith("08-send-unknown-recipient-v2", "08-send-unknown-recipient-no-accept");

		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> this.client.send(file(100), message()))
				.isInstanceOfSatisfying(MeshException.class, ex -> {
					assertThat(ex.httpStatus()).isEqualTo(417);
					assertThat(ex.errorCode()).isEqualTo("12");
					assertThat(ex.errorDescription()).isEqualTo("Unregistered to address");
					assertThat(ex.outcomeUnknown()).isFalse();
				});
		}
	}

	@Test
	void theGenericErrorBodyIsReadToo() throws Exception {
		answerWith("08-send-chunk-beyond-total-v2");

		assertThatThrownBy(() -> this.client.resume(file(1_500), "789D565946FA4728A088233F38F3E084", 2,
				MeshClient.Progress.NONE))
			.isInstanceOfSatisfying(MeshException.class, ex -> assertThat(ex.httpStatus()).isEqualTo(406))
			.hasMessageContaining("An internal error occurred.");
	}

	static byte[] body(JsonNode response) {
		if (response.path("body_kind").asString().equals("gzip")) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
				gzip.write(response.path("body_binary").path("gunzipped_text").asString().getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return out.toByteArray();
		}
		return response.path("body").isNull() ? new byte[0]
				: response.path("body").asString().getBytes(StandardCharsets.UTF_8);
	}

	OutgoingMessage message() {
		return new OutgoingMessage("X26ABC2", "dps export", "contract.csv", "contract-1", null);
	}

	Path file(int size) throws IOException {
		return Files.writeString(this.dir.resolve("f-" + size + ".csv"), "x".repeat(size - 1) + "\n");
	}

}

package uk.nhs.vaccinations.dpsexport.mesh.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import uk.nhs.vaccinations.dpsexport.mesh.MeshAuth;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's MESH sandbox against NHS England's: every recorded exchange of
 * ../shared/mesh-sandbox-transcripts/ is replayed, in the recorded order, and the answer must be
 * the recorded one: status, content type, every {@code mex-*} and {@code content-encoding} header,
 * and the body (JSON field by field). Only what the transcripts' README lists as varying between
 * runs is normalised: message ids (mapped from the recording's to ours as they are issued),
 * timestamps (their format is checked), paging tokens, and stored gzip sizes.
 */
class MeshSandboxContractTest {

	static final Path TRANSCRIPTS = Path.of("..", "shared", "mesh-sandbox-transcripts");

	/** Where ours deliberately answers as the live service does, not as the lax recorded sandbox. */
	static final Map<String, String> STRICTER_THAN_THE_RECORDED_SANDBOX = Map.of(
			"08-auth-token-reused-second-v2", "the live service accepts each token once (mesh-api.md)",
			"08-auth-token-stale-timestamp-v2", "the live service refuses a token more than 2 hours from its clock");

	static final Set<String> TIMESTAMP_FIELDS = Set.of("upload_timestamp", "expiry_time", "uploadTimestamp",
			"expiryTime", "downloadTimestamp");

	static final Set<String> RESTRICTED_HEADERS = Set.of("content-length", "host", "connection", "expect", "upgrade");

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final MeshSandbox sandbox = MeshSandbox.http();

	static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** Recorded message id to the id our sandbox gave the same message. */
	final Map<String, String> ids = new HashMap<>();

	/** Recorded links.next to ours. */
	final Map<String, String> nextLinks = new HashMap<>();

	String reusableToken;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@TestFactory
	Stream<DynamicTest> everyRecordedExchangeIsAnsweredAsNhsEnglandsSandboxDid() throws IOException {
		JsonNode index = JSON.readTree(TRANSCRIPTS.resolve("index.json").toFile());
		List<JsonNode> cases = new ArrayList<>();
		index.path("cases").forEach(cases::add);
		cases.sort((a, b) -> Integer.compare(a.path("sequence").asInt(), b.path("sequence").asInt()));
		assertThat(cases).as("the recordings").hasSize(126);
		return cases.stream().map(c -> {
			String name = c.path("case").asString();
			String stricter = STRICTER_THAN_THE_RECORDED_SANDBOX.get(name);
			return DynamicTest.dynamicTest(c.path("sequence").asInt() + " " + name
					+ (stricter == null ? "" : " (refused: " + stricter + ")"), () -> {
						JsonNode recording = JSON.readTree(TRANSCRIPTS.resolve(name + ".json").toFile());
						HttpResponse<byte[]> ours = replay(recording.path("request"));
						if (name.equals("05-inbox-setup-send-01-of-12-v2")) {
							sendTheOtherPagingMessages(recording.path("request"), index.path("message_ids_this_run")
								.path("paging"));
						}
						if (stricter != null) {
							assertThat(ours.statusCode()).isEqualTo(403);
							assertThat(body(ours)).contains("Invalid Authentication Token");
						}
						else {
							compare(recording.path("response"), ours);
						}
					});
		});
	}

	/**
	 * Only the first of the twelve messages the paging cases list was recorded; the other eleven
	 * were sent the same way (page-NN.csv, local id dps-page-NN), and index.json names their ids.
	 */
	void sendTheOtherPagingMessages(JsonNode first, JsonNode recordedIds) throws Exception {
		for (int n = 2; n <= 12; n++) {
			String nn = String.format("%02d", n);
			ObjectNode request = (ObjectNode) first.deepCopy();
			ObjectNode headers = (ObjectNode) request.get("headers");
			headers.put("mex-FileName", "page-" + nn + ".csv");
			headers.put("mex-LocalID", "dps-page-" + nn);
			((ObjectNode) request.get("body")).put("gunzipped_text", "id,value\n1,paging message " + nn + "\n");
			HttpResponse<byte[]> ours = replay(request);
			assertThat(ours.statusCode()).as("paging message %s", nn).isEqualTo(202);
			this.ids.put(recordedIds.get(n - 1).asString(), JSON.readTree(ours.body()).path("message_id").asString());
		}
	}

	HttpResponse<byte[]> replay(JsonNode request) throws Exception {
		String path = request.path("path").asString();
		path = this.nextLinks.getOrDefault(path, path);
		for (Map.Entry<String, String> id : this.ids.entrySet()) {
			path = path.replace(id.getKey(), id.getValue());
		}
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path));
		for (Map.Entry<String, JsonNode> header : request.path("headers").properties()) {
			String headerName = header.getKey();
			if (!RESTRICTED_HEADERS.contains(headerName.toLowerCase(Locale.ROOT))
					&& !headerName.equalsIgnoreCase("Authorization")) {
				builder.header(headerName, header.getValue().asString());
			}
		}
		String authorization = request.path("headers").path("Authorization").asString(null);
		if (authorization != null) {
			builder.header("Authorization", token(authorization, mailboxOf(path)));
		}
		JsonNode body = request.path("body");
		HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
		if (body.isObject()) {
			String kind = body.path("kind").asString();
			byte[] bytes = kind.equals("gzip") ? gzip(body.path("gunzipped_text").asString())
					: body.path("text").asString("").getBytes(StandardCharsets.UTF_8);
			publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
		}
		builder.method(request.path("method").asString(), publisher);
		return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	/** A token as the recording's placeholder describes it. */
	String token(String placeholder, String pathMailbox) {
		if (placeholder.startsWith("NHSMESH ")) {
			return placeholder.replaceFirst(" \\(malformed.*$", "");
		}
		if (placeholder.startsWith("<the same NHSMESH token T")) {
			return this.reusableToken;
		}
		String mailbox = pathMailbox;
		String password = "password";
		String key = MeshSandbox.SHARED_KEY;
		Instant at = Instant.now();
		if (placeholder.contains("'wrong-password'")) {
			password = "wrong-password";
		}
		if (placeholder.contains("'WrongKey'")) {
			key = "WrongKey";
		}
		if (placeholder.contains("timestamp 202001010000")) {
			at = Instant.parse("2020-01-01T00:00:00Z");
		}
		if (placeholder.startsWith("<valid NHSMESH token for X26ABC2")) {
			mailbox = "X26ABC2";
		}
		String token = MeshAuth.token(mailbox, password, key, UUID.randomUUID().toString(), 1, at);
		if (placeholder.startsWith("<NHSMESH token T")) {
			this.reusableToken = token;
		}
		return token;
	}

	void compare(JsonNode recorded, HttpResponse<byte[]> ours) throws Exception {
		assertThat(ours.statusCode()).as("status").isEqualTo(recorded.path("status").asInt());
		Map<String, String> recordedHeaders = new TreeMap<>();
		recorded.path("headers").properties().forEach(h -> recordedHeaders.put(h.getKey().toLowerCase(Locale.ROOT),
				h.getValue().asString()));
		Map<String, String> ourHeaders = new TreeMap<>();
		ours.headers().map().forEach((name, values) -> ourHeaders.put(name.toLowerCase(Locale.ROOT), values.get(0)));
		assertThat(ourHeaders.get("content-type")).as("content-type").isEqualTo(recordedHeaders.get("content-type"));
		String kind = recorded.path("body_kind").asString();
		if (kind.equals("json")) {
			learnIds(recorded.path("body_json"), JSON.readTree(ours.body()));
		}
		assertThat(protocolHeaders(ourHeaders)).as("mex-* and content-encoding headers")
			.isEqualTo(protocolHeaders(mapIds(recordedHeaders)));
		switch (kind) {
			case "empty" -> assertThat(ours.body()).as("body").isEmpty();
			case "text" -> assertThat(body(ours)).as("body").isEqualTo(recorded.path("body").asString());
			case "gzip" -> assertThat(gunzip(ours.body())).as("gunzipped body")
				.isEqualTo(recorded.path("body_binary").path("gunzipped_text").asString());
			case "json" -> compareJson(recorded.path("body_json"), JSON.readTree(ours.body()));
			default -> throw new AssertionError("unexpected body kind " + kind);
		}
	}

	void compareJson(JsonNode recorded, JsonNode ours) {
		JsonNode detail = recorded.path("detail");
		if (detail.isArray() && !detail.isEmpty() && detail.get(0).has("loc")) {
			// The web framework's validation errors: their wording depends on its version (transcripts' README).
			assertThat(locs(ours)).as("validation error locations").isEqualTo(locs(recorded));
			return;
		}
		assertThat(normalise(ours.deepCopy(), false)).as("body").isEqualTo(normalise(recorded.deepCopy(), true));
	}

	JsonNode normalise(JsonNode node, boolean recorded) {
		if (node instanceof ObjectNode object) {
			List<String> names = new ArrayList<>(object.propertyNames());
			for (String name : names) {
				JsonNode value = object.get(name);
				if (TIMESTAMP_FIELDS.contains(name)) {
					object.put(name, shape(value.asString()));
				}
				else if (name.equals("internalID")) {
					object.put(name, "<internalID>");
				}
				else if (name.equals("fileSize")) {
					object.put(name, value.asLong() == 0 ? "0" : "<stored gzip bytes>");
				}
				else if (name.equals("next")) {
					object.put(name, value.asString().replaceFirst("continue_from=.*$", "continue_from=<token>"));
				}
				else {
					object.set(name, normalise(value, recorded));
				}
			}
			return object;
		}
		if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				array.set(i, normalise(array.get(i), recorded));
			}
			return array;
		}
		if (recorded && node.isString() && this.ids.containsKey(node.asString())) {
			return StringNode.valueOf(this.ids.get(node.asString()));
		}
		return node;
	}

	void learnIds(JsonNode recorded, JsonNode ours) {
		for (String field : List.of("message_id", "messageID")) {
			if (recorded.has(field) && ours.has(field) && !this.ids.containsKey(recorded.get(field).asString())) {
				this.ids.put(recorded.get(field).asString(), ours.get(field).asString());
			}
		}
		String recordedNext = recorded.path("links").path("next").asString(null);
		String ourNext = ours.path("links").path("next").asString(null);
		if (recordedNext != null && ourNext != null) {
			this.nextLinks.put(recordedNext, ourNext);
		}
	}

	Map<String, String> mapIds(Map<String, String> headers) {
		Map<String, String> mapped = new TreeMap<>();
		headers.forEach((name, value) -> mapped.put(name, this.ids.getOrDefault(value, value)));
		return mapped;
	}

	static Map<String, String> protocolHeaders(Map<String, String> headers) {
		Map<String, String> picked = new TreeMap<>();
		headers.forEach((name, value) -> {
			if (name.startsWith("mex-") || name.equals("content-encoding")) {
				picked.put(name, name.equals("mex-statustimestamp") ? shape(value) : value);
			}
		});
		return picked;
	}

	/** A timestamp's format, which is all that is stable between runs. */
	static String shape(String value) {
		if (value.isEmpty()) {
			return "";
		}
		if (value.matches("\\d{14}")) {
			return "<yyyyMMddHHmmss>";
		}
		if (value.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}")) {
			return "<ISO-8601 with microseconds, no zone>";
		}
		return "<unexpected timestamp " + value + ">";
	}

	static List<String> locs(JsonNode body) {
		List<String> locs = new ArrayList<>();
		body.path("detail").forEach(item -> locs.add(item.path("loc").toString()));
		return locs;
	}

	static String mailboxOf(String path) {
		Iterator<String> parts = List.of(path.split("[/?]")).iterator();
		while (parts.hasNext()) {
			if (parts.next().equals("messageexchange")) {
				return parts.next();
			}
		}
		throw new IllegalArgumentException(path);
	}

	static String body(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	static byte[] gzip(String text) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	static String gunzip(byte[] gzipped) throws IOException {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static {
		if (!Files.isDirectory(TRANSCRIPTS)) {
			throw new IllegalStateException("The MESH sandbox recordings are not at " + TRANSCRIPTS.toAbsolutePath()
					+ ": the project expects ../shared beside its checkout");
		}
	}

}

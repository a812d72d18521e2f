package uk.nhs.vaccinations.dpsexport.mesh.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import uk.nhs.vaccinations.dpsexport.mesh.MeshAuth;

/**
 * A local MESH server that speaks the protocol of ../shared/docs/mesh-api.md: it checks NHSMESH
 * tokens (HMAC, clock skew, single use, mailbox match), client identification headers, chunk
 * ranges and gzip, and serves handshake, send, chunk upload, tracking (by message id and by
 * local id), inbox paging, chunked download and acknowledge. Over HTTPS it can require client
 * certificates. Tests can make it misbehave: fail requests with a status, lose a response
 * after acting on the request, or delay.
 */
public final class MeshSandbox implements AutoCloseable {

	public static final String SHARED_KEY = "TestKey";

	public static final Map<String, String> PUBLIC_SANDBOX_MAILBOXES = Map.of("X26ABC1", "password", "X26ABC2",
			"password", "X26ABC3", "password");

	private static final DateTimeFormatter MESSAGE_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS")
		.withZone(ZoneOffset.UTC);

	/** A message as MESH holds it: raw chunk bodies exactly as uploaded. */
	public static final class Message {

		public final String id;

		public final String sender;

		public final String recipient;

		public final String workflowId;

		public final String fileName;

		public final String localId;

		public final int chunkCount;

		public final String contentEncoding;

		public final Instant uploaded;

		final Map<Integer, byte[]> chunks = new ConcurrentHashMap<>();

		volatile String status = "uploading";

		volatile Instant acknowledgedAt;

		Message(String id, String sender, String recipient, String workflowId, String fileName, String localId,
				int chunkCount, String contentEncoding, Instant uploaded) {
			this.id = id;
			this.sender = sender;
			this.recipient = recipient;
			this.workflowId = workflowId;
			this.fileName = fileName;
			this.localId = localId;
			this.chunkCount = chunkCount;
			this.contentEncoding = contentEncoding;
			this.uploaded = uploaded;
		}

		public String status() {
			return this.status;
		}

		public int chunksReceived() {
			return this.chunks.size();
		}

		/** The payload as the recipient reads it: every chunk decompressed, in order. */
		public byte[] payload() {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			for (int k = 1; k <= this.chunkCount; k++) {
				out.writeBytes(decode(this.chunks.get(k), this.contentEncoding));
			}
			return out.toByteArray();
		}

	}

	private record Misbehaviour(Predicate<HttpExchange> matches, int status, boolean loseResponse,
			boolean dropConnection, Duration delay, AtomicInteger remaining, Duration delayAfter) {

		Misbehaviour(Predicate<HttpExchange> matches, int status, boolean loseResponse, boolean dropConnection,
				Duration delay, AtomicInteger remaining) {
			this(matches, status, loseResponse, dropConnection, delay, remaining, null);
		}

	}

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(16);

	private final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, String> mailboxes;

	private final String sharedKey;

	private final Clock clock;

	private final Map<String, Message> messages = new ConcurrentHashMap<>();

	private volatile int inboxPageLimit = Integer.MAX_VALUE;

	private final List<String> inboxListings = new CopyOnWriteArrayList<>();

	private final Set<String> usedNonces = ConcurrentHashMap.newKeySet();

	private final List<Misbehaviour> misbehaviours = Collections.synchronizedList(new ArrayList<>());

	private final List<String> authorizationHeaders = Collections.synchronizedList(new ArrayList<>());

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, Set<String>> workflowsByMailbox = new ConcurrentHashMap<>();

	private MeshSandbox(HttpServer server, Map<String, String> mailboxes, String sharedKey, Clock clock) {
		this.server = server;
		this.mailboxes = mailboxes;
		this.sharedKey = sharedKey;
		this.clock = clock;
		server.createContext("/messageexchange/", this::handle);
		server.setExecutor(this.executor);
	}

	/** Plain HTTP with the public sandbox's mailboxes and shared key. */
	public static MeshSandbox http() {
		return start(null, false, PUBLIC_SANDBOX_MAILBOXES, SHARED_KEY);
	}

	/**
	 * @param tls the server's key and trust material, or null for plain HTTP
	 * @param requireClientCertificate refuse TLS connections without a client certificate the trust material accepts
	 */
	public static MeshSandbox start(SSLContext tls, boolean requireClientCertificate, Map<String, String> mailboxes,
			String sharedKey) {
		try {
			InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
			HttpServer server;
			if (tls == null) {
				server = HttpServer.create(address, 64);
			}
			else {
				HttpsServer https = HttpsServer.create(address, 64);
				https.setHttpsConfigurator(new HttpsConfigurator(tls) {
					@Override
					public void configure(HttpsParameters params) {
						SSLParameters parameters = tls.getDefaultSSLParameters();
						parameters.setNeedClientAuth(requireClientCertificate);
						parameters.setProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
						params.setSSLParameters(parameters);
					}
				});
				server = https;
			}
			MeshSandbox sandbox = new MeshSandbox(server, new LinkedHashMap<>(mailboxes), sharedKey,
					Clock.systemUTC());
			server.start();
			return sandbox;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("MESH sandbox did not start", ex);
		}
	}

	public URI baseUrl() {
		String scheme = this.server instanceof HttpsServer ? "https" : "http";
		return URI.create(scheme + "://localhost:" + this.server.getAddress().getPort());
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	// ---- test controls ------------------------------------------------------------------

	/** The next {@code times} requests matching get {@code status} with a MESH error body. */
	public void failNext(int times, int status, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, status, false, false, null, new AtomicInteger(times)));
	}

	public void failNext(int times, int status) {
		failNext(times, status, exchange -> true);
	}

	/** The next matching request is carried out, then its connection closed with no response. */
	public void loseNextResponse(Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, true, false, null, new AtomicInteger(1)));
	}

	/** The next {@code times} matching requests are cut off before anything is done. */
	public void dropConnectionOnNext(int times, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, false, true, null, new AtomicInteger(times)));
	}

	public void delayNext(int times, Duration delay, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, false, false, delay, new AtomicInteger(times)));
	}

	/** The next matching request is carried out, then its response held back for {@code delay}. */
	public void delayResponseOnNext(int times, Duration delay, Predicate<HttpExchange> matching) {
		this.misbehaviours
			.add(new Misbehaviour(matching, 0, false, false, null, new AtomicInteger(times), delay));
	}

	/**
	 * Inbox listings hold at most this many ids a page, whatever {@code max_results} asks (a
	 * server may page as it likes); the client must follow {@code links.next} for the rest.
	 */
	public void limitInboxPages(int ids) {
		this.inboxPageLimit = ids;
	}

	/** Only these workflow ids may be sent to the mailbox (MESH error 17 otherwise). */
	public void registerWorkflows(String mailbox, String... workflowIds) {
		this.workflowsByMailbox.put(mailbox.toUpperCase(Locale.ROOT), Set.of(workflowIds));
	}

	public static Predicate<HttpExchange> post(String pathSuffixRegex) {
		return exchange -> exchange.getRequestMethod().equals("POST")
				&& exchange.getRequestURI().getPath().matches(".*" + pathSuffixRegex);
	}

	public List<Message> messages() {
		List<Message> all = new ArrayList<>(this.messages.values());
		all.sort((a, b) -> a.id.compareTo(b.id));
		return all;
	}

	public List<Message> messagesTo(String mailbox) {
		return messages().stream().filter(m -> m.recipient.equalsIgnoreCase(mailbox)).toList();
	}

	/** The request URI of every inbox listing, in order. */
	public List<String> inboxListings() {
		return List.copyOf(this.inboxListings);
	}

	/** Every Authorization header received, so tests can look for tokens where they must not be. */
	public List<String> authorizationHeaders() {
		return List.copyOf(this.authorizationHeaders);
	}

	/** What DPS does once it has downloaded a message. */
	public void acknowledge(String messageId) {
		Message message = this.messages.get(messageId);
		message.status = "acknowledged";
		message.acknowledgedAt = this.clock.instant();
	}

	/** What MESH does to a message nobody downloaded and acknowledged within five days. */
	public void expire(String messageId) {
		this.messages.get(messageId).status = "undeliverable";
	}

	/** Forgets every misbehaviour but keeps the messages. */
	public void behave() {
		this.misbehaviours.clear();
	}

	public void reset() {
		this.messages.clear();
		this.misbehaviours.clear();
		this.inboxPageLimit = Integer.MAX_VALUE;
		this.inboxListings.clear();
		this.authorizationHeaders.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	// ---- protocol -----------------------------------------------------------------------

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			Misbehaviour misbehaviour = misbehaviourFor(exchange);
			if (misbehaviour != null && misbehaviour.dropConnection()) {
				return; // closing without headers cuts the connection
			}
			if (misbehaviour != null && misbehaviour.delay() != null) {
				sleep(misbehaviour.delay());
			}
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (misbehaviour != null && misbehaviour.status() > 0) {
				respond(exchange, misbehaviour.status(), error("", String.valueOf(misbehaviour.status()),
						"Sandbox was told to fail this request"));
				return;
			}
			Response response;
			try {
				response = route(exchange, body);
			}
			catch (RuntimeException ex) {
				response = new Response(500, error("", "99", "Sandbox error: " + ex.getMessage()), Map.of());
			}
			if (misbehaviour != null && misbehaviour.loseResponse()) {
				return; // acted on, but the client never hears
			}
			if (misbehaviour != null && misbehaviour.delayAfter() != null) {
				sleep(misbehaviour.delayAfter());
			}
			exchange.getResponseHeaders().set("Content-Type", "application/vnd.mesh.v2+json");
			response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
			respond(exchange, response.status(), response.body());
		}
	}

	private synchronized Misbehaviour misbehaviourFor(HttpExchange exchange) {
		for (Misbehaviour m : this.misbehaviours) {
			if (m.remaining().get() > 0 && m.matches().test(exchange)) {
				if (m.remaining().decrementAndGet() == 0) {
					this.misbehaviours.remove(m);
				}
				return m;
			}
		}
		return null;
	}

	private record Response(int status, byte[] body, Map<String, String> headers) {
	}

	private Response route(HttpExchange exchange, byte[] body) {
		String method = exchange.getRequestMethod();
		String[] parts = exchange.getRequestURI().getPath().substring("/messageexchange/".length()).split("/");
		if (parts.length == 0 || parts[0].isEmpty()) {
			return new Response(404, error("", "20", "Not found"), Map.of());
		}
		String pathMailbox = parts[0].toUpperCase(Locale.ROOT);
		String authError = authenticate(exchange, pathMailbox);
		if (authError != null) {
			return new Response(403, invalidToken(), Map.of("x-sandbox-reason", authError));
		}
		if (parts.length == 1 && (method.equals("GET") || method.equals("POST"))) {
			return handshake(exchange, pathMailbox);
		}
		String area = parts[1];
		if (area.equals("outbox") && method.equals("POST") && parts.length == 2) {
			return send(exchange, pathMailbox, body);
		}
		if (area.equals("outbox") && method.equals("POST") && parts.length == 4) {
			return chunk(exchange, pathMailbox, parts[2], Integer.parseInt(parts[3]), body);
		}
		if (area.equals("outbox") && method.equals("GET") && parts.length >= 3 && parts[2].equals("tracking")) {
			return parts.length == 4 ? trackByLocalId(pathMailbox, parts[3]) : track(exchange, pathMailbox);
		}
		if (area.equals("inbox") && method.equals("GET") && parts.length == 2) {
			return inbox(exchange, pathMailbox);
		}
		if (area.equals("inbox") && method.equals("GET") && (parts.length == 3 || parts.length == 4)) {
			return download(pathMailbox, parts[2], parts.length == 4 ? Integer.parseInt(parts[3]) : 1);
		}
		if (area.equals("inbox") && method.equals("PUT") && parts.length == 5 && parts[3].equals("status")
				&& parts[4].equals("acknowledged")) {
			return acknowledge(pathMailbox, parts[2]);
		}
		return new Response(404, error("", "20", "Unknown endpoint " + method + " " + exchange.getRequestURI()),
				Map.of());
	}

	/** Null when the token is good; otherwise why not (for the test's eyes, never sent as detail). */
	private String authenticate(HttpExchange exchange, String pathMailbox) {
		String header = exchange.getRequestHeaders().getFirst("Authorization");
		if (header == null || !header.startsWith("NHSMESH ")) {
			return "missing NHSMESH token";
		}
		this.authorizationHeaders.add(header);
		String[] fields = header.substring("NHSMESH ".length()).split(":");
		if (fields.length != 5) {
			return "malformed token";
		}
		String mailbox = fields[0];
		String nonce = fields[1];
		String count = fields[2];
		String timestamp = fields[3];
		String hash = fields[4];
		String password = this.mailboxes.get(mailbox);
		if (password == null) {
			return "unknown mailbox " + mailbox;
		}
		if (!mailbox.equals(pathMailbox)) {
			return "token mailbox does not match the path";
		}
		Instant time;
		try {
			time = LocalDateTime.parse(timestamp, DateTimeFormatter.ofPattern("yyyyMMddHHmm")).toInstant(ZoneOffset.UTC);
		}
		catch (RuntimeException ex) {
			return "bad timestamp";
		}
		if (Duration.between(time, this.clock.instant()).abs().compareTo(Duration.ofHours(2)) > 0) {
			return "timestamp more than 2 hours from the server clock";
		}
		String expected = MeshAuth.hmac(this.sharedKey, mailbox + ":" + nonce + ":" + count + ":" + password + ":" + timestamp);
		if (!expected.equals(hash)) {
			return "bad hash";
		}
		if (!this.usedNonces.add(mailbox + ":" + nonce + ":" + count)) {
			return "token reused";
		}
		return null;
	}

	private Response handshake(HttpExchange exchange, String mailbox) {
		for (String required : List.of("mex-ClientVersion", "mex-OSName", "mex-OSVersion")) {
			if (exchange.getRequestHeaders().getFirst(required) == null) {
				return new Response(400, error("", "", "Missing header " + required), Map.of());
			}
		}
		ObjectNode body = this.json.createObjectNode().put("mailboxId", mailbox);
		return new Response(200, bytes(body), Map.of());
	}

	private Response send(HttpExchange exchange, String sender, byte[] body) {
		var headers = exchange.getRequestHeaders();
		String to = headers.getFirst("mex-To");
		String workflow = headers.getFirst("mex-WorkflowID");
		if (to == null || to.isBlank()) {
			return new Response(417, error("SEND", "12", "Unregistered to address"), Map.of());
		}
		to = to.toUpperCase(Locale.ROOT);
		if (!this.mailboxes.containsKey(to)) {
			return new Response(417, error("SEND", "12", "Unregistered to address"), Map.of());
		}
		if (workflow == null || workflow.isBlank()) {
			return new Response(417, error("SEND", "17", "Workflow ID missing"), Map.of());
		}
		Set<String> allowed = this.workflowsByMailbox.get(to);
		if (allowed != null && !allowed.contains(workflow)) {
			return new Response(417, error("SEND", "17", "Workflow not registered for the recipient"), Map.of());
		}
		String encoding = headers.getFirst("Content-Encoding");
		if (encoding != null && !encoding.equalsIgnoreCase("gzip")) {
			return new Response(422, error("SEND", "", "Unsupported Content-Encoding " + encoding), Map.of());
		}
		if (body.length == 0) {
			return new Response(417, error("SEND", "02", "Data file is missing or inaccessible"), Map.of());
		}
		int chunkCount = 1;
		String range = headers.getFirst("mex-Chunk-Range");
		if (range != null) {
			int[] kn = chunkRange(range);
			if (kn == null || kn[0] != 1) {
				return new Response(417, error("SEND", "", "Bad mex-Chunk-Range " + range + " on the first chunk"), Map.of());
			}
			chunkCount = kn[1];
		}
		if (!decodable(body, encoding)) {
			return new Response(400, error("SEND", "", "Body is not valid " + encoding), Map.of());
		}
		String id = MESSAGE_ID_TIME.format(this.clock.instant()) + String.format("%06d", this.sequence.incrementAndGet())
				+ "_" + sender.substring(0, Math.min(6, sender.length()));
		Message message = new Message(id, sender, to, workflow, headers.getFirst("mex-FileName"),
				headers.getFirst("mex-LocalID"), chunkCount, encoding, this.clock.instant());
		message.chunks.put(1, body);
		if (chunkCount == 1) {
			message.status = "accepted";
		}
		this.messages.put(id, message);
		return new Response(202, bytes(this.json.createObjectNode().put("message_id", id)), Map.of());
	}

	private Response chunk(HttpExchange exchange, String sender, String id, int k, byte[] body) {
		Message message = this.messages.get(id);
		if (message == null || !message.sender.equals(sender)) {
			return new Response(404, error("SEND", "20", "Message does not exist"), Map.of());
		}
		int[] kn = chunkRange(exchange.getRequestHeaders().getFirst("mex-Chunk-Range"));
		if (kn == null || kn[0] != k || kn[1] != message.chunkCount || k < 2 || k > message.chunkCount) {
			return new Response(417, error("SEND", "", "Bad mex-Chunk-Range for chunk " + k), Map.of());
		}
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		if (!equalsIgnoreCase(encoding, message.contentEncoding)) {
			return new Response(422, error("SEND", "", "Every chunk must use the same Content-Encoding"), Map.of());
		}
		if (!message.status.equals("uploading")) {
			return new Response(423, error("SEND", "", "Message is already complete"), Map.of());
		}
		if (!decodable(body, encoding)) {
			return new Response(400, error("SEND", "", "Chunk is not valid " + encoding), Map.of());
		}
		message.chunks.put(k, body);
		if (message.chunks.size() == message.chunkCount) {
			message.status = "accepted";
		}
		return new Response(202, bytes(this.json.createObjectNode().put("message_id", id)), Map.of());
	}

	private Response track(HttpExchange exchange, String sender) {
		String query = exchange.getRequestURI().getQuery();
		String id = query == null ? null : query.replaceFirst("^.*messageID=([^&]*).*$", "$1");
		Message message = id == null ? null : this.messages.get(id);
		if (message == null || !message.sender.equals(sender)) {
			return new Response(404, error("TRACK", "20", "Message does not exist"), Map.of());
		}
		return new Response(200, bytes(tracking(message)), Map.of());
	}

	private Response trackByLocalId(String sender, String localId) {
		return this.messages.values()
			.stream()
			.filter(m -> m.sender.equals(sender) && localId.equals(m.localId))
			.findFirst()
			.map(m -> new Response(200, bytes(tracking(m)), Map.of()))
			.orElse(new Response(404, error("TRACK", "20", "Message does not exist"), Map.of()));
	}

	private ObjectNode tracking(Message message) {
		ObjectNode node = this.json.createObjectNode();
		node.put("message_id", message.id);
		node.put("local_id", message.localId);
		node.put("status", message.status);
		node.put("filename", message.fileName);
		node.put("recipient", message.recipient);
		node.put("sender", message.sender);
		node.put("workflow_id", message.workflowId);
		node.put("upload_timestamp", message.uploaded.toString());
		node.put("expiry_time", message.uploaded.plus(5, ChronoUnit.DAYS).toString());
		if (message.acknowledgedAt != null) {
			node.put("acknowledged_timestamp", message.acknowledgedAt.toString());
		}
		return node;
	}

	private Response inbox(HttpExchange exchange, String mailbox) {
		Map<String, String> query = query(exchange.getRequestURI().getQuery());
		int max = Math.max(10, Math.min(5000, Integer.parseInt(query.getOrDefault("max_results", "500"))));
		String after = query.get("continue_from");
		List<String> waiting = messages().stream()
			.filter(m -> m.recipient.equals(mailbox) && m.status.equals("accepted"))
			.map(m -> m.id)
			.filter(id -> after == null || id.compareTo(after) > 0)
			.toList();
		this.inboxListings.add(exchange.getRequestURI().toString());
		List<String> page = waiting.subList(0, Math.min(Math.min(max, this.inboxPageLimit), waiting.size()));
		ObjectNode body = this.json.createObjectNode();
		ArrayNode ids = body.putArray("messages");
		page.forEach(ids::add);
		ObjectNode links = body.putObject("links");
		links.put("self", "/messageexchange/" + mailbox + "/inbox?max_results=" + max);
		if (waiting.size() > page.size()) {
			links.put("next", "/messageexchange/" + mailbox + "/inbox?max_results=" + max + "&continue_from="
					+ page.get(page.size() - 1));
		}
		body.put("approx_inbox_count", waiting.size());
		return new Response(200, bytes(body), Map.of());
	}

	private Response download(String mailbox, String id, int k) {
		Message message = this.messages.get(id);
		if (message == null || !message.recipient.equals(mailbox) || !message.status.equals("accepted")) {
			return new Response(404, error("DOWNLOAD", "20", "Message does not exist"), Map.of());
		}
		if (k < 1 || k > message.chunkCount) {
			return new Response(404, error("DOWNLOAD", "20", "Chunk " + k + " does not exist"), Map.of());
		}
		Map<String, String> headers = new TreeMap<>();
		headers.put("Content-Type", "application/octet-stream");
		headers.put("mex-MessageID", message.id);
		headers.put("mex-From", message.sender);
		headers.put("mex-To", message.recipient);
		headers.put("mex-WorkflowID", message.workflowId);
		if (message.fileName != null) {
			headers.put("mex-FileName", message.fileName);
		}
		if (message.localId != null) {
			headers.put("mex-LocalID", message.localId);
		}
		headers.put("mex-Chunk-Range", k + ":" + message.chunkCount);
		if (message.contentEncoding != null) {
			headers.put("Content-Encoding", message.contentEncoding);
		}
		return new Response(k < message.chunkCount ? 206 : 200, message.chunks.get(k), headers);
	}

	private Response acknowledge(String mailbox, String id) {
		Message message = this.messages.get(id);
		if (message == null || !message.recipient.equals(mailbox)) {
			return new Response(404, error("ACK", "20", "Message does not exist"), Map.of());
		}
		message.status = "acknowledged";
		message.acknowledgedAt = this.clock.instant();
		return new Response(200, new byte[0], Map.of());
	}

	// ---- helpers ------------------------------------------------------------------------

	private static int[] chunkRange(String value) {
		if (value == null || !value.matches("\\d+:\\d+")) {
			return null;
		}
		String[] kn = value.split(":");
		int k = Integer.parseInt(kn[0]);
		int n = Integer.parseInt(kn[1]);
		return k >= 1 && n >= k ? new int[] { k, n } : null;
	}

	/** Inflates the whole body to check it, without keeping what it inflates (chunks reach 75 MiB). */
	private static boolean decodable(byte[] body, String encoding) {
		if (encoding == null) {
			return true;
		}
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 1 << 16)) {
			byte[] discard = new byte[1 << 16];
			while (in.read(discard) >= 0) {
				// reading to the end checks every block and the trailer's CRC and length
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static byte[] decode(byte[] body, String encoding) {
		if (encoding == null) {
			return body;
		}
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean equalsIgnoreCase(String a, String b) {
		return a == null ? b == null : a.equalsIgnoreCase(b);
	}

	private static Map<String, String> query(String query) {
		Map<String, String> values = new LinkedHashMap<>();
		if (query != null) {
			for (String pair : query.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					values.put(pair.substring(0, eq), pair.substring(eq + 1));
				}
			}
		}
		return values;
	}

	private byte[] error(String event, String code, String message) {
		ObjectNode body = this.json.createObjectNode();
		body.putArray("detail").addObject().put("event", event).put("code", code).put("msg", message);
		return bytes(body);
	}

	private byte[] invalidToken() {
		return error("", "", "Invalid Authentication Token");
	}

	private byte[] bytes(ObjectNode node) {
		return this.json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
	}

	private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
		if (body.length == 0) {
			exchange.sendResponseHeaders(status, -1);
			return;
		}
		exchange.sendResponseHeaders(status, body.length);
		exchange.getResponseBody().write(body);
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

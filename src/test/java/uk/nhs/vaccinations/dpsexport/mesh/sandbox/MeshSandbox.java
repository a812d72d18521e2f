package uk.nhs.vaccinations.dpsexport.mesh.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

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
 * A local MESH server that answers as NHS England's public MESH sandbox does, as recorded in
 * ../shared/mesh-sandbox-transcripts/ (MeshSandboxContractTest replays every recording against
 * it): v1 or v2 bodies and content types by the Accept header, the deprecated look-up by local
 * id in the v1 shape (404 for none, 300 for several), 423 for a chunk sent after its message is
 * complete, downloads that gunzip unless the client accepts gzip, and MESH's error bodies.
 *
 * <p>Stricter than the recorded sandbox only where the live service is (mesh-api.md): each
 * NHSMESH token is accepted once and only within two hours of the server's clock. Tests can
 * make it misbehave: fail requests with a status (and a Retry-After), lose a response after
 * acting on the request, cut the connection, or delay.
 */
public final class MeshSandbox implements AutoCloseable {

	public static final String SHARED_KEY = "TestKey";

	public static final Map<String, String> PUBLIC_SANDBOX_MAILBOXES = Map.of("X26ABC1", "password", "X26ABC2",
			"password", "X26ABC3", "password");

	private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final Pattern ACCEPT_VERSION = Pattern.compile("application/vnd\\.mesh\\.v(\\d+)\\+json");

	private static final String GENERIC_ERROR = "{\"message\":\"An internal error occurred.\\n\\nPlease contact support.\"}";

	/** A message as MESH holds it: raw chunk bodies exactly as uploaded. */
	public static final class Message {

		public final String id;

		public final String sender;

		public final String recipient;

		public final String workflowId;

		public final String fileName;

		public final String localId;

		public final String subject;

		public final int chunkCount;

		public final String contentEncoding;

		public final String contentType;

		public final Instant uploaded;

		/** The order MESH received first chunks in. */
		final long received;

		final Map<Integer, byte[]> chunks = new ConcurrentHashMap<>();

		volatile String status = "uploading";

		/** Its place in the recipient's inbox: messages are listed in the order they were accepted. */
		volatile long acceptedSequence;

		volatile Instant acknowledgedAt;

		Message(String id, String sender, String recipient, String workflowId, String fileName, String localId,
				String subject, int chunkCount, String contentEncoding, String contentType, Instant uploaded,
				long received) {
			this.id = id;
			this.sender = sender;
			this.recipient = recipient;
			this.workflowId = workflowId;
			this.fileName = fileName;
			this.localId = localId;
			this.subject = subject;
			this.chunkCount = chunkCount;
			this.contentEncoding = contentEncoding;
			this.contentType = contentType;
			this.uploaded = uploaded;
			this.received = received;
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

		boolean gzipped() {
			return this.contentEncoding != null && this.contentEncoding.equalsIgnoreCase("gzip");
		}

		long storedBytes() {
			return this.chunks.values().stream().mapToLong(chunk -> chunk.length).sum();
		}

	}

	private record Misbehaviour(Predicate<HttpExchange> matches, int status, boolean loseResponse,
			boolean dropConnection, Duration delay, AtomicInteger remaining, Duration delayAfter, String retryAfter,
			UnaryOperator<byte[]> rewrite) {

		Misbehaviour(Predicate<HttpExchange> matches, int status, boolean loseResponse, boolean dropConnection,
				Duration delay, AtomicInteger remaining, Duration delayAfter, String retryAfter) {
			this(matches, status, loseResponse, dropConnection, delay, remaining, delayAfter, retryAfter, null);
		}

	}

	private final HttpServer server;

	private final ExecutorService executor = Executors.newFixedThreadPool(16);

	private final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, String> mailboxes;

	private final String sharedKey;

	private final Clock clock;

	private final Map<String, Message> messages = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private volatile int inboxPageLimit = Integer.MAX_VALUE;

	private final List<String> inboxListings = new CopyOnWriteArrayList<>();

	private final Set<String> usedNonces = ConcurrentHashMap.newKeySet();

	private final List<Misbehaviour> misbehaviours = Collections.synchronizedList(new ArrayList<>());

	private final List<String> authorizationHeaders = Collections.synchronizedList(new ArrayList<>());

	private final List<Instant> requestTimes = Collections.synchronizedList(new ArrayList<>());

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
		failNext(times, status, null, matching);
	}

	/** As {@link #failNext(int, int, Predicate)}, with a {@code Retry-After} header (seconds, or an HTTP date). */
	public void failNext(int times, int status, String retryAfter, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, status, false, false, null, new AtomicInteger(times), null,
				retryAfter));
	}

	public void failNext(int times, int status) {
		failNext(times, status, exchange -> true);
	}

	/** The next matching request is carried out, then its connection closed with no response. */
	public void loseNextResponse(Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, true, false, null, new AtomicInteger(1), null, null));
	}

	/** The next {@code times} matching requests are cut off before anything is done. */
	public void dropConnectionOnNext(int times, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, false, true, null, new AtomicInteger(times), null, null));
	}

	/** The next matching requests wait {@code delay} before they are carried out: MESH storing them late. */
	public void delayNext(int times, Duration delay, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, false, false, delay, new AtomicInteger(times), null, null));
	}

	/** The next matching request is carried out, then its response held back for {@code delay}. */
	public void delayResponseOnNext(int times, Duration delay, Predicate<HttpExchange> matching) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, false, false, null, new AtomicInteger(times), delay, null));
	}

	/** The next matching request is carried out, and its reply's body replaced (cut short, emptied). */
	public void rewriteNextResponse(Predicate<HttpExchange> matching, UnaryOperator<byte[]> rewrite) {
		this.misbehaviours.add(new Misbehaviour(matching, 0, false, false, null, new AtomicInteger(1), null, null,
				rewrite));
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

	/** Every message, in the order MESH received their first chunks. */
	public List<Message> messages() {
		List<Message> all = new ArrayList<>(this.messages.values());
		all.sort((a, b) -> Long.compare(a.received, b.received));
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

	/** When each request arrived, so tests can check how far apart retries came. */
	public List<Instant> requestTimes() {
		return List.copyOf(this.requestTimes);
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
		this.requestTimes.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	// ---- the exchange ---------------------------------------------------------------------

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			this.requestTimes.add(this.clock.instant());
			Misbehaviour misbehaviour = misbehaviourFor(exchange);
			if (misbehaviour != null && misbehaviour.dropConnection()) {
				return; // closing without headers cuts the connection
			}
			if (misbehaviour != null && misbehaviour.delay() != null) {
				sleep(misbehaviour.delay());
			}
			byte[] body = exchange.getRequestBody().readAllBytes();
			int version = version(exchange);
			if (misbehaviour != null && misbehaviour.status() > 0) {
				Response failed = error(version, misbehaviour.status(), "", "", "Sandbox was told to fail this request");
				if (misbehaviour.retryAfter() != null) {
					failed.headers().put("Retry-After", misbehaviour.retryAfter());
				}
				send(exchange, failed);
				return;
			}
			Response response;
			try {
				response = route(exchange, version, body);
			}
			catch (RuntimeException ex) {
				response = new Response(500, GENERIC_ERROR.getBytes(StandardCharsets.UTF_8), "application/json");
			}
			if (misbehaviour != null && misbehaviour.loseResponse()) {
				return; // acted on, but the client never hears
			}
			if (misbehaviour != null && misbehaviour.delayAfter() != null) {
				sleep(misbehaviour.delayAfter());
			}
			if (misbehaviour != null && misbehaviour.rewrite() != null) {
				response = new Response(response.status(), misbehaviour.rewrite().apply(response.body()),
						response.contentType(), response.headers());
			}
			send(exchange, response);
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

	private record Response(int status, byte[] body, String contentType, Map<String, String> headers) {

		Response(int status, byte[] body, String contentType) {
			this(status, body, contentType, new LinkedHashMap<>());
		}

	}

	/** 1 unless Accept names {@code application/vnd.mesh.vN+json}; -1 for an Accept list, which MESH refuses. */
	private static int version(HttpExchange exchange) {
		String accept = exchange.getRequestHeaders().getFirst("Accept");
		if (accept == null) {
			return 1;
		}
		if (accept.contains(",")) {
			return -1;
		}
		Matcher matcher = ACCEPT_VERSION.matcher(accept.split(";")[0].trim());
		return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 1;
	}

	private Response route(HttpExchange exchange, int version, byte[] body) {
		if (version < 0) {
			return json(400, obj().put("errorEvent", "").put("errorCode", "")
				.put("errorDescription", "Accept header api format incorrect"), "application/json");
		}
		String method = exchange.getRequestMethod();
		String[] parts = exchange.getRequestURI().getPath().substring("/messageexchange/".length()).split("/");
		String pathMailbox = parts[0].toUpperCase(Locale.ROOT);
		Response refused = authenticate(exchange, version, pathMailbox);
		if (refused != null) {
			return refused;
		}
		if (parts.length == 1 && (method.equals("GET") || method.equals("POST"))) {
			return handshake(exchange, version, pathMailbox);
		}
		String area = parts[1];
		if (area.equals("count") && method.equals("GET")) {
			return count(version, pathMailbox);
		}
		if (area.equals("outbox") && method.equals("POST") && parts.length == 2) {
			return send(exchange, version, pathMailbox, body);
		}
		if (area.equals("outbox") && method.equals("POST") && parts.length == 4 && !parts[2].equals("tracking")) {
			return chunk(exchange, version, pathMailbox, parts[2], Integer.parseInt(parts[3]), body);
		}
		if (area.equals("outbox") && method.equals("GET") && parts.length >= 3 && parts[2].equals("tracking")) {
			return parts.length == 4 ? trackByLocalId(version, pathMailbox, parts[3]) : track(exchange, version,
					pathMailbox);
		}
		if (area.equals("inbox") && method.equals("GET") && parts.length == 2) {
			return inbox(exchange, version, pathMailbox);
		}
		if (area.equals("inbox") && (method.equals("GET") || method.equals("HEAD"))
				&& (parts.length == 3 || parts.length == 4)) {
			int chunk = parts.length == 4 ? Integer.parseInt(parts[3]) : 1;
			return download(exchange, version, pathMailbox, parts[2], chunk, method.equals("HEAD"));
		}
		if (area.equals("inbox") && method.equals("PUT") && parts.length == 5 && parts[3].equals("status")
				&& parts[4].equals("acknowledged")) {
			return acknowledge(version, pathMailbox, parts[2]);
		}
		return error(version, 404, "", "", "Not Found");
	}

	/** Null when the token is good; otherwise MESH's refusal. */
	private Response authenticate(HttpExchange exchange, int version, String pathMailbox) {
		String header = exchange.getRequestHeaders().getFirst("Authorization");
		if (header != null) {
			this.authorizationHeaders.add(header);
		}
		String[] fields = header == null || !header.startsWith("NHSMESH ") ? new String[0]
				: header.substring("NHSMESH ".length()).split(":");
		if (fields.length != 5) {
			return error(version, 403, "", "", "Error reading from Authorization header");
		}
		String mailbox = fields[0];
		String nonce = fields[1];
		String count = fields[2];
		String timestamp = fields[3];
		if (!mailbox.equalsIgnoreCase(pathMailbox)) {
			return error(version, 403, "", "", "Mailbox id does not match token");
		}
		String password = this.mailboxes.get(pathMailbox);
		if (password == null) {
			return error(version, 403, "SEND", "EPL-151", "No mailbox matched");
		}
		String expected = MeshAuth.hmac(this.sharedKey,
				mailbox + ":" + nonce + ":" + count + ":" + password + ":" + timestamp);
		boolean good = expected.equals(fields[4]);
		try {
			Instant time = LocalDateTime.parse(timestamp, DateTimeFormatter.ofPattern("yyyyMMddHHmm"))
				.toInstant(ZoneOffset.UTC);
			// The live service's rules (mesh-api.md); the recorded sandbox checks neither.
			good &= Duration.between(time, this.clock.instant()).abs().compareTo(Duration.ofHours(2)) <= 0;
		}
		catch (RuntimeException ex) {
			good = false;
		}
		good = good && this.usedNonces.add(mailbox + ":" + nonce + ":" + count);
		return good ? null : error(version, 403, "", "", "Invalid Authentication Token");
	}

	private Response handshake(HttpExchange exchange, int version, String mailbox) {
		Response missing = requiredHeaders(exchange, "mex-ClientVersion", "mex-OSName", "mex-OSVersion");
		if (missing != null) {
			return missing;
		}
		if (version >= 2) {
			return new Response(200, new byte[0], null);
		}
		return json(200, obj().put("mailboxId", mailbox), "application/json");
	}

	private Response count(int version, String mailbox) {
		ObjectNode body = obj().put("count", waiting(mailbox).size());
		if (version < 2) {
			body.put("internalID", UUID.randomUUID().toString().replace("-", "")).put("allResultsIncluded", true);
		}
		return json(200, body, "application/json");
	}

	private Response send(HttpExchange exchange, int version, String sender, byte[] body) {
		var headers = exchange.getRequestHeaders();
		Response missing = requiredHeaders(exchange, "mex-To", "mex-WorkflowID");
		if (missing != null) {
			return missing;
		}
		String to = headers.getFirst("mex-To").trim().toUpperCase(Locale.ROOT);
		String workflow = headers.getFirst("mex-WorkflowID");
		if (to.isEmpty()) {
			return error(version, 400, "SEND", "08", "TO_DTS missing");
		}
		if (!this.mailboxes.containsKey(to)) {
			return error(version, 417, "SEND", "12", "Unregistered to address");
		}
		Set<String> allowed = this.workflowsByMailbox.get(to);
		if (allowed != null && !allowed.contains(workflow)) {
			return error(version, 417, "SEND", "17", "Workflow not registered for the recipient");
		}
		String encoding = headers.getFirst("Content-Encoding");
		if (encoding != null && !encoding.equalsIgnoreCase("gzip")) {
			return error(version, 422, "SEND", "UnsupportedContentEncoding", "Unsupported content encoding");
		}
		if (body.length == 0) {
			return error(version, 417, "COLLECT", "02", "Data file is missing or inaccessible.");
		}
		int chunkCount = 1;
		String range = headers.getFirst("mex-Chunk-Range");
		if (range != null) {
			int[] kn = chunkRange(range);
			if (kn == null || kn[0] != 1) {
				return invalidChunks(version, null);
			}
			chunkCount = kn[1];
		}
		String id = UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
		Message message = new Message(id, sender, to, workflow, headers.getFirst("mex-FileName"),
				headers.getFirst("mex-LocalID"), headers.getFirst("mex-Subject"), chunkCount, encoding,
				headers.getFirst("Content-Type"), this.clock.instant(), this.sequence.incrementAndGet());
		message.chunks.put(1, body);
		if (chunkCount == 1) {
			accept(message);
		}
		this.messages.put(id, message);
		return json(202, obj().put(version >= 2 ? "message_id" : "messageID", id), "application/json");
	}

	private Response chunk(HttpExchange exchange, int version, String sender, String id, int k, byte[] body) {
		Message message = this.messages.get(id);
		if (message == null || !message.sender.equals(sender)) {
			return error(version, 404, "", "", "Not Found");
		}
		int[] kn = chunkRange(exchange.getRequestHeaders().getFirst("mex-Chunk-Range"));
		if (kn == null || kn[0] != k || k < 2) {
			return invalidChunks(version, id);
		}
		if (kn[1] != message.chunkCount) {
			return new Response(406, GENERIC_ERROR.getBytes(StandardCharsets.UTF_8), "application/json");
		}
		String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
		if (!(encoding == null ? message.contentEncoding == null : encoding.equalsIgnoreCase(message.contentEncoding))) {
			return error(version, 417, "", "", "cannot change content encoding");
		}
		if (!message.status.equals("uploading")) {
			return new Response(423, GENERIC_ERROR.getBytes(StandardCharsets.UTF_8), "application/json");
		}
		// a chunk sent again while the message is still uploading replaces the earlier copy
		message.chunks.put(k, body);
		if (message.chunks.size() == message.chunkCount) {
			accept(message);
		}
		if (version >= 2) {
			return new Response(202, "null".getBytes(StandardCharsets.UTF_8), "application/json");
		}
		return json(202, obj().put("messageID", id).put("blockID", k), "application/json");
	}

	private void accept(Message message) {
		message.acceptedSequence = this.sequence.incrementAndGet();
		message.status = "accepted";
	}

	private Response track(HttpExchange exchange, int version, String sender) {
		String id = query(exchange.getRequestURI().getRawQuery()).get("messageID");
		if (id == null) {
			return validation("query", "messageID");
		}
		Message message = this.messages.get(id);
		if (message == null || !message.sender.equals(sender)) {
			return error(version, 404, "", "", "Not Found");
		}
		if (version >= 2) {
			return json(200, trackingV2(message), "application/vnd.mesh.v2+json");
		}
		return json(200, trackingV1(message), "application/json");
	}

	/** The deprecated look-up by mex-LocalID: always the v1 shape, whatever Accept asks. */
	private Response trackByLocalId(int version, String sender, String localId) {
		List<Message> found = this.messages.values()
			.stream()
			.filter(m -> m.sender.equals(sender) && localId.equals(m.localId))
			.toList();
		if (found.isEmpty()) {
			return error(version, 404, "", "", "Not Found");
		}
		if (found.size() > 1) {
			return error(version, 300, "", "", "Multiple Choices");
		}
		return json(200, trackingV1(found.get(0)), "application/json");
	}

	private ObjectNode trackingV2(Message message) {
		ObjectNode node = obj();
		node.put("message_id", message.id);
		putIfPresent(node, "local_id", message.localId);
		node.put("workflow_id", message.workflowId);
		putIfPresent(node, "filename", message.fileName);
		node.put("expiry_time", isoNoZone(message.uploaded.plus(5, ChronoUnit.DAYS)));
		node.put("upload_timestamp", isoNoZone(message.uploaded));
		node.put("recipient", message.recipient);
		node.put("recipient_name", mailboxName(message.recipient));
		node.put("recipient_ods_code", odsCode(message.recipient));
		node.put("recipient_org_code", odsCode(message.recipient));
		node.put("recipient_org_name", "");
		boolean undeliverable = message.status.equals("undeliverable");
		node.put("status_success", !undeliverable);
		if (undeliverable) {
			node.put("status_event", "TRANSFER");
			node.put("status_code", "14");
			node.put("status_description", "Message not collected by recipient after 5 days");
		}
		node.put("status", message.status);
		return node;
	}

	private ObjectNode trackingV1(Message message) {
		boolean undeliverable = message.status.equals("undeliverable");
		ObjectNode node = obj();
		node.put("addressType", "ALL");
		node.put("checksum", "");
		node.put("chunkCount", message.chunkCount);
		node.put("compressFlag", "");
		node.put("contentEncoding", message.contentEncoding == null ? "" : message.contentEncoding);
		node.put("downloadTimestamp", message.acknowledgedAt == null ? "" : COMPACT.format(message.acknowledgedAt));
		node.put("dtsId", message.id);
		node.put("encryptedFlag", "");
		node.put("expiryTime", COMPACT.format(message.uploaded.plus(5, ChronoUnit.DAYS)));
		node.put("fileName", message.fileName == null ? "" : message.fileName);
		node.put("fileSize", message.status.equals("uploading") ? 0 : message.storedBytes());
		node.put("isCompressed", "");
		node.put("localId", message.localId == null ? "" : message.localId);
		node.put("meshRecipientOdsCode", odsCode(message.recipient));
		node.put("messageId", message.id);
		node.put("messageType", "Data");
		node.put("partnerId", "");
		node.put("recipient", message.recipient);
		node.put("recipientName", mailboxName(message.recipient));
		node.put("recipientOrgCode", odsCode(message.recipient));
		node.put("recipientOrgName", "");
		node.put("recipientSmtp", "");
		node.put("sender", message.sender);
		node.put("senderName", mailboxName(message.sender));
		node.put("senderOdsCode", odsCode(message.sender));
		node.put("senderOrgCode", odsCode(message.sender));
		node.put("senderOrgName", "");
		node.put("senderSmtp", "");
		node.put("status", titleCase(message.status));
		node.put("statusSuccess", undeliverable ? "ERROR" : "SUCCESS");
		if (undeliverable) {
			node.put("statusCode", "14");
			node.put("statusEvent", "TRANSFER");
		}
		node.put("subject", message.subject == null ? "" : message.subject);
		node.put("uploadTimestamp", COMPACT.format(message.uploaded));
		node.put("version", "1.0");
		node.put("workflowId", message.workflowId);
		return node;
	}

	private List<Message> waiting(String mailbox) {
		return this.messages.values()
			.stream()
			.filter(m -> m.recipient.equals(mailbox) && m.status.equals("accepted"))
			.sorted((a, b) -> Long.compare(a.acceptedSequence, b.acceptedSequence))
			.toList();
	}

	private Response inbox(HttpExchange exchange, int version, String mailbox) {
		Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
		int max = Integer.parseInt(query.getOrDefault("max_results", "500"));
		if (max < 10 || max > 5000) {
			return validation("query", "max_results");
		}
		this.inboxListings.add(exchange.getRequestURI().toString());
		List<Message> waiting = waiting(mailbox);
		long after = continueAfter(query.get("continue_from"));
		List<Message> rest = waiting.stream().filter(m -> m.acceptedSequence > after).toList();
		List<Message> page = rest.subList(0, Math.min(Math.min(max, this.inboxPageLimit), rest.size()));
		ObjectNode body = obj();
		ArrayNode ids = body.putArray("messages");
		page.forEach(m -> ids.add(m.id));
		if (version < 2) {
			return json(200, body, "application/json");
		}
		String self = "/messageexchange/" + mailbox + "/inbox" + (max == 500 ? "" : "?max_results=" + max);
		ObjectNode links = body.putObject("links");
		links.put("self", self);
		if (rest.size() > page.size()) {
			String token = Base64.getUrlEncoder()
				.encodeToString(("after:" + page.get(page.size() - 1).acceptedSequence).getBytes(StandardCharsets.UTF_8));
			links.put("next", "/messageexchange/" + mailbox + "/inbox?max_results=" + max + "&continue_from="
					+ URLEncoder.encode(token, StandardCharsets.UTF_8));
		}
		body.put("approx_inbox_count", waiting.size());
		return json(200, body, "application/vnd.mesh.v2+json");
	}

	/** An opaque token of ours (v2's links.next), or the last message id of the previous page (v1). */
	private long continueAfter(String continueFrom) {
		if (continueFrom == null) {
			return 0;
		}
		Message byId = this.messages.get(continueFrom);
		if (byId != null) {
			return byId.acceptedSequence;
		}
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(continueFrom), StandardCharsets.UTF_8);
			return decoded.startsWith("after:") ? Long.parseLong(decoded.substring(6)) : 0;
		}
		catch (IllegalArgumentException ex) {
			return 0;
		}
	}

	private Response download(HttpExchange exchange, int version, String mailbox, String id, int k, boolean head) {
		if (k < 1) {
			return validation("path", "chunk_number");
		}
		Message message = this.messages.get(id);
		if (message == null || message.status.equals("undeliverable")) {
			return error(version, 404, "RECEIVE", "20", "Message does not exist");
		}
		if (!message.recipient.equals(mailbox)) {
			return error(version, 403, "", "", "Forbidden");
		}
		if (message.status.equals("uploading")) {
			return error(version, 410, "SEND", "Message already accepted", "Message no longer available for download");
		}
		if (k > message.chunkCount) {
			return error(version, 404, "RECEIVE", "20", "Message does not exist");
		}
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("mex-from", message.sender);
		headers.put("mex-to", message.recipient);
		headers.put("mex-workflowid", message.workflowId);
		headers.put("mex-chunk-range", k + ":" + message.chunkCount);
		headers.put("mex-total-chunks", String.valueOf(message.chunkCount));
		headers.put("mex-addresstype", "ALL");
		putIfPresent(headers, "mex-localid", message.localId);
		putIfPresent(headers, "mex-subject", message.subject);
		putIfPresent(headers, "mex-filename", message.fileName);
		headers.put("mex-version", "1.0");
		headers.put("mex-messagetype", "DATA");
		headers.put("mex-messageid", message.id);
		headers.put("mex-statuscode", "00");
		headers.put("mex-statusevent", "TRANSFER");
		headers.put("mex-statusdescription", "Transferred to recipient mailbox");
		headers.put("mex-statussuccess", "SUCCESS");
		headers.put("mex-statustimestamp", COMPACT.format(message.uploaded));
		headers.put("mex-content-type", message.contentType == null ? "application/octet-stream" : message.contentType);
		headers.put("last-modified", LAST_MODIFIED.format(this.clock.instant()));
		if (head) {
			if (message.gzipped()) {
				headers.put("content-encoding", "gzip");
			}
			return new Response(200, new byte[0], null, headers);
		}
		int status = k < message.chunkCount ? 206 : 200;
		byte[] stored = message.chunks.get(k);
		boolean acceptsGzip = String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding"))
			.toLowerCase(Locale.ROOT)
			.contains("gzip");
		byte[] body;
		if (message.gzipped() && acceptsGzip) {
			body = stored;
		}
		else if (message.gzipped()) {
			try {
				body = decode(stored, "gzip");
			}
			catch (UncheckedIOException notGzip) {
				return new Response(500, GENERIC_ERROR.getBytes(StandardCharsets.UTF_8), "application/json");
			}
		}
		else if (acceptsGzip && version >= 2) {
			body = gzip(stored);
		}
		else {
			body = stored;
		}
		boolean compressed = (message.gzipped() && acceptsGzip) || (!message.gzipped() && acceptsGzip && version >= 2);
		if (compressed) {
			headers.put("content-encoding", "gzip");
			headers.put("mex-content-compressed", "Y");
		}
		String contentType = "application/octet-stream";
		if (version >= 2 && message.chunkCount == 1 && message.contentType != null) {
			contentType = message.contentType.startsWith("text/") && !message.contentType.contains("charset")
					? message.contentType + "; charset=utf-8" : message.contentType;
		}
		return new Response(status, body, contentType, headers);
	}

	private Response acknowledge(int version, String mailbox, String id) {
		Message message = this.messages.get(id);
		if (message == null) {
			return error(version, 404, "RECEIVE", "20", "Message does not exist");
		}
		if (!message.recipient.equals(mailbox)) {
			return error(version, 403, "", "", "Forbidden");
		}
		if (!message.status.equals("acknowledged")) {
			message.status = "acknowledged";
			message.acknowledgedAt = this.clock.instant();
		}
		if (version >= 2) {
			return new Response(200, new byte[0], null);
		}
		return json(200, obj().put("messageId", id), "application/json");
	}

	// ---- MESH's bodies ----------------------------------------------------------------------

	/** A MESH error: v2 {@code detail[]} with event, code and msg; v1 errorEvent, errorCode, errorDescription. */
	private Response error(int version, int status, String event, String code, String message) {
		return error(version, status, event, code, message, null);
	}

	private Response error(int version, int status, String event, String code, String message, String messageId) {
		ObjectNode body = obj();
		if (version >= 2) {
			if (messageId != null) {
				body.put("message_id", messageId);
			}
			body.putArray("detail").addObject().put("event", event).put("code", code).put("msg", message);
			return json(status, body, "application/vnd.mesh.v2+json");
		}
		if (messageId != null) {
			body.put("messageID", messageId);
		}
		body.put("errorEvent", event).put("errorCode", code).put("errorDescription", message);
		return json(status, body, "application/json");
	}

	private Response invalidChunks(int version, String messageId) {
		return error(version, 417, "SEND", "InvalidHeaderChunks", "Invalid chunk values sent in mex-Chunk-Range header",
				messageId);
	}

	/** The web framework's own 400 for a missing header, query or path parameter (pydantic's wording). */
	private Response validation(String location, String... names) {
		ObjectNode body = obj();
		ArrayNode detail = body.putArray("detail");
		for (String name : names) {
			ObjectNode item = detail.addObject();
			item.putArray("loc").add(location).add(name);
			item.put("msg", "field required").put("type", "value_error.missing");
		}
		return json(400, body, "application/json");
	}

	private Response requiredHeaders(HttpExchange exchange, String... names) {
		List<String> missing = new ArrayList<>();
		for (String name : names) {
			if (exchange.getRequestHeaders().getFirst(name) == null) {
				missing.add(name.toLowerCase(Locale.ROOT));
			}
		}
		return missing.isEmpty() ? null : validation("header", missing.toArray(String[]::new));
	}

	private Response json(int status, ObjectNode body, String contentType) {
		return new Response(status, this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8), contentType);
	}

	private ObjectNode obj() {
		return this.json.createObjectNode();
	}

	// ---- helpers ------------------------------------------------------------------------

	private static String mailboxName(String mailbox) {
		return mailbox.matches("X26ABC\\d") ? "TESTMB" + mailbox.substring(6) : mailbox;
	}

	private static String odsCode(String mailbox) {
		return mailbox.substring(0, Math.min(3, mailbox.length()));
	}

	private static String titleCase(String status) {
		return status.substring(0, 1).toUpperCase(Locale.ROOT) + status.substring(1);
	}

	/** MESH v2 timestamps: UTC, microseconds, and no zone. */
	private static String isoNoZone(Instant instant) {
		return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC).format(instant);
	}

	private static void putIfPresent(ObjectNode node, String name, String value) {
		if (value != null) {
			node.put(name, value);
		}
	}

	private static void putIfPresent(Map<String, String> headers, String name, String value) {
		if (value != null && !value.isEmpty()) {
			headers.put(name, value);
		}
	}

	private static int[] chunkRange(String value) {
		if (value == null || !value.matches("\\d+:\\d+")) {
			return null;
		}
		String[] kn = value.split(":");
		int k = Integer.parseInt(kn[0]);
		int n = Integer.parseInt(kn[1]);
		return k >= 1 && n >= k ? new int[] { k, n } : null;
	}

	static byte[] decode(byte[] body, String encoding) {
		if (encoding == null || !encoding.equalsIgnoreCase("gzip")) {
			return body;
		}
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] gzip(byte[] plain) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(plain);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static Map<String, String> query(String query) {
		Map<String, String> values = new LinkedHashMap<>();
		if (query != null) {
			for (String pair : query.split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return values;
	}

	private static void send(HttpExchange exchange, Response response) throws IOException {
		if (response.contentType() != null) {
			exchange.getResponseHeaders().set("Content-Type", response.contentType());
		}
		response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
		if (response.body().length == 0) {
			exchange.sendResponseHeaders(response.status(), -1);
			return;
		}
		exchange.sendResponseHeaders(response.status(), response.body().length);
		exchange.getResponseBody().write(response.body());
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

package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLHandshakeException;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A MESH API client (../shared/docs/mesh-api.md) for one mailbox. Every request carries a fresh
 * NHSMESH token. Idempotent calls and chunks 2..n are retried with exponential backoff and
 * jitter; the first POST of a message never is: when its outcome is unknown the message is
 * looked up by its local id, and sent again only if MESH has none.
 */
public class MeshClient implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(MeshClient.class);

	static final Set<Integer> RETRYABLE_STATUSES = Set.of(425, 429, 502, 503, 504);

	private static final String ACCEPT = "application/vnd.mesh.v2+json";

	private static final String CLIENT_VERSION = "dps-mesh-export/0.1.0";

	public record OutgoingMessage(String to, String workflowId, String fileName, String localId, String subject) {
	}

	public record TrackingInfo(String messageId, String localId, String status, String fileName, String recipient,
			String uploadTimestamp) {

		public boolean isUploading() {
			return "uploading".equalsIgnoreCase(this.status);
		}

	}

	/** @param resumed true when MESH already had the message (found by local id) */
	public record SendResult(String messageId, int chunks, boolean resumed) {
	}

	public record DownloadedMessage(String messageId, Map<String, String> headers, int chunks, long bytes) {
	}

	/** Sleeping is injectable so tests of the retry budget need not wait. */
	public interface Sleeper {

		void sleep(Duration duration) throws InterruptedException;

	}

	private final MeshProperties properties;

	private final CloseableHttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Clock clock;

	private final Sleeper sleeper;

	public MeshClient(MeshProperties properties) {
		this(properties, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
	}

	public MeshClient(MeshProperties properties, Clock clock, Sleeper sleeper) {
		this.properties = properties;
		this.clock = clock;
		this.sleeper = sleeper;
		this.http = httpClient(properties);
	}

	private static CloseableHttpClient httpClient(MeshProperties p) {
		ConnectionConfig connection = ConnectionConfig.custom()
			.setConnectTimeout(Timeout.ofMilliseconds(p.connectTimeout().toMillis()))
			.setSocketTimeout(Timeout.ofMilliseconds(p.responseTimeout().toMillis()))
			.build();
		PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
			.setDefaultConnectionConfig(connection)
			.setMaxConnTotal(8)
			.setMaxConnPerRoute(8);
		if ("https".equals(p.baseUrl().getScheme())) {
			pool.setTlsSocketStrategy(ClientTlsStrategyBuilder.create()
				.setSslContext(MeshTls.sslContext(p))
				.setTlsVersions(TLS.V_1_3, TLS.V_1_2)
				.setHostnameVerifier(p.disableSslVerification() ? NoopHostnameVerifier.INSTANCE
						: new DefaultHostnameVerifier())
				.buildClassic());
		}
		return HttpClients.custom()
			.setConnectionManager(pool.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setResponseTimeout(Timeout.ofMilliseconds(p.responseTimeout().toMillis()))
				.build())
			// Retries are decided here, per operation: a blind retry of a send creates a duplicate.
			.disableAutomaticRetries()
			// Chunks are gzipped explicitly, one by one, as MESH requires.
			.disableContentCompression()
			.disableRedirectHandling()
			.setUserAgent(CLIENT_VERSION)
			.build();
	}

	public String mailbox() {
		return this.properties.mailbox().toUpperCase(Locale.ROOT);
	}

	/** Validates the mailbox; MESH wants this at least once every 24 hours. */
	public String handshake() {
		JsonNode body = call("handshake", true, () -> new HttpPost(uri("")), this::readJson);
		return body.path("mailboxId").asString(mailbox());
	}

	/** Sends a file as one message, chunked above mesh.chunk-size; see {@link #send(Path, OutgoingMessage, boolean)}. */
	public SendResult send(Path file, OutgoingMessage message) {
		return send(file, message, false);
	}

	/**
	 * Sends a file, gzipping each chunk of at most mesh.chunk-size uncompressed bytes on its own.
	 *
	 * @param lookUpFirst look for a message with the same local id first (after a crash whose
	 * upload outcome is unknown): one that MESH accepted is not sent again, one still uploading
	 * gets its remaining chunks
	 */
	public SendResult send(Path file, OutgoingMessage message, boolean lookUpFirst) {
		long size = size(file);
		// whether or not anything is sent this time, nothing an earlier attempt left stays behind
		deleteLeftoverChunks(file);
		long chunkBytes = this.properties.chunkSize().toBytes();
		int chunks = (int) Math.max(1, (size + chunkBytes - 1) / chunkBytes);
		if (lookUpFirst) {
			requireLocalId(message);
			Optional<TrackingInfo> existing = findByLocalId(message.localId());
			if (existing.isPresent()) {
				TrackingInfo found = existing.get();
				if (found.isUploading()) {
					log.info("MESH message {} (local id {}) is still uploading; sending chunks 2..{} again",
							found.messageId(), message.localId(), chunks);
					try (GzippedChunks gzipped = new GzippedChunks(file, size, chunkBytes, chunks, 2)) {
						uploadChunks(gzipped, found.messageId(), chunks);
					}
				}
				else if ("error".equalsIgnoreCase(found.status())) {
					throw new MeshException("send " + message.fileName(), mailbox(), 0, null, "MESH holds message "
							+ found.messageId() + " for local id " + message.localId() + " in status error", null);
				}
				else {
					log.info("MESH already has message {} for local id {} ({}); not sending it again",
							found.messageId(), message.localId(), found.status());
				}
				return new SendResult(found.messageId(), chunks, true);
			}
		}
		String messageId;
		// Every chunk is gzipped ahead on other threads, the first included: the first POST waits
		// for chunk 1 while chunk 2 is already being compressed.
		try (GzippedChunks gzipped = new GzippedChunks(file, size, chunkBytes, chunks, 1)) {
			messageId = sendFirstChunk(gzipped.take(), message, chunks);
			uploadChunks(gzipped, messageId, chunks);
		}
		log.info("MESH message {} sent to {}: {} ({} bytes, {} chunk{})", messageId, message.to(), message.fileName(),
				size, chunks, chunks == 1 ? "" : "s");
		return new SendResult(messageId, chunks, false);
	}

	private String sendFirstChunk(Path gzipped, OutgoingMessage message, int chunks) {
		String operation = "send " + message.fileName();
		try {
			for (int attempt = 1;; attempt++) {
				try {
					JsonNode body = call(operation, false, () -> {
						HttpPost post = new HttpPost(uri("/outbox"));
						post.setHeader("mex-To", message.to());
						post.setHeader("mex-WorkflowID", message.workflowId());
						post.setHeader("mex-FileName", message.fileName());
						if (message.localId() != null) {
							post.setHeader("mex-LocalID", message.localId());
						}
						if (message.subject() != null) {
							post.setHeader("mex-Subject", message.subject());
						}
						post.setHeader("mex-Chunk-Range", "1:" + chunks);
						post.setEntity(gzipEntity(gzipped));
						return post;
					}, this::readJson);
					return body.path("message_id").asString();
				}
				catch (MeshException ex) {
					boolean outcomeUnknown = ex.httpStatus() == 0 ? !(ex.getCause() instanceof SSLHandshakeException)
							: RETRYABLE_STATUSES.contains(ex.httpStatus());
					if (!outcomeUnknown || message.localId() == null || attempt >= this.properties.maxAttempts()) {
						throw ex;
					}
					log.warn("{}: outcome unknown ({}); looking for local id {} before sending again",
							operation, ex.getMessage(), message.localId());
					backoff(operation, attempt);
					Optional<TrackingInfo> existing = findByLocalId(message.localId());
					if (existing.isPresent()) {
						log.info("{}: MESH did accept it as message {}; not sending it again", operation,
								existing.get().messageId());
						return existing.get().messageId();
					}
				}
			}
		}
		finally {
			deleteQuietly(gzipped);
		}
	}

	private void uploadChunks(GzippedChunks gzippedChunks, String messageId, int chunks) {
		for (int k = 2; k <= chunks; k++) {
			Path gzipped = gzippedChunks.take();
			int chunk = k;
			try {
				call("upload chunk " + k + " of " + chunks + " of message " + messageId, true, () -> {
					HttpPost post = new HttpPost(uri("/outbox/" + messageId + "/" + chunk));
					post.setHeader("mex-Chunk-Range", chunk + ":" + chunks);
					post.setEntity(gzipEntity(gzipped));
					return post;
				}, response -> null);
			}
			catch (MeshException ex) {
				if (ex.httpStatus() == 423) {
					// Only a resumed upload gets here: MESH already had every chunk.
					log.info("MESH message {} is already complete (HTTP 423 on chunk {})", messageId, k);
					return;
				}
				throw ex;
			}
			finally {
				deleteQuietly(gzipped);
			}
		}
	}

	/**
	 * A file's chunks, from {@code first} on, each gzipped on its own on other threads, in order and
	 * at most COMPRESS_AHEAD ahead of the one being sent, so the temporary files on disk stay bounded.
	 * The caller deletes each file it takes; closing deletes the rest.
	 */
	private static final class GzippedChunks implements AutoCloseable {

		private final ExecutorService compressors = Executors.newFixedThreadPool(COMPRESS_AHEAD);

		private final Deque<Future<Path>> ready = new ArrayDeque<>();

		private final Path file;

		private final long size;

		private final long chunkBytes;

		private final int chunks;

		private int next;

		GzippedChunks(Path file, long size, long chunkBytes, int chunks, int first) {
			this.file = file;
			this.size = size;
			this.chunkBytes = chunkBytes;
			this.chunks = chunks;
			this.next = first;
			fill();
		}

		private void fill() {
			while (this.next <= this.chunks && this.ready.size() < COMPRESS_AHEAD) {
				long offset = (this.next - 1) * this.chunkBytes;
				long length = Math.min(this.chunkBytes, this.size - offset);
				Path gzipped = chunkFile(this.file, this.next);
				this.ready.add(this.compressors.submit(() -> gzipChunk(this.file, offset, length, gzipped)));
				this.next++;
			}
		}

		Path take() {
			Path gzipped = await(this.ready.poll());
			fill();
			return gzipped;
		}

		@Override
		public void close() {
			this.compressors.shutdownNow();
			for (Future<Path> pending : this.ready) {
				try {
					deleteQuietly(pending.get());
				}
				catch (Exception ignored) {
					// cancelled or failed: nothing was left behind
				}
			}
		}

	}

	private static final int COMPRESS_AHEAD = 2;

	private static Path await(Future<Path> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while preparing a MESH chunk", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	public TrackingInfo track(String messageId) {
		JsonNode body = call("track message " + messageId, true,
				() -> new HttpGet(uri("/outbox/tracking?messageID=" + messageId)), this::readJson);
		return tracking(body);
	}

	/** Finds a sent message by the sender's local id (MESH's older tracking call). */
	public Optional<TrackingInfo> findByLocalId(String localId) {
		try {
			JsonNode body = call("look up local id " + localId, true,
					() -> new HttpGet(uri("/outbox/tracking/" + localId)), this::readJson);
			return Optional.of(tracking(body));
		}
		catch (MeshException ex) {
			if (ex.httpStatus() == 404) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** Every message id waiting in the inbox, following MESH's paging links. */
	public List<String> listInbox() {
		List<String> ids = new ArrayList<>();
		URI next = uri("/inbox?max_results=500");
		while (next != null) {
			URI page = next;
			JsonNode body = call("list inbox", true, () -> new HttpGet(page), this::readJson);
			body.path("messages").forEach(id -> ids.add(id.asString()));
			String link = body.path("links").path("next").asString(null);
			next = link == null || link.isEmpty() ? null : this.properties.baseUrl().resolve(link);
		}
		return ids;
	}

	/** Downloads every chunk of a message, decompressed, into target. */
	public DownloadedMessage download(String messageId, Path target) {
		Map<String, String> headers = new LinkedHashMap<>();
		int chunks = 1;
		long bytes = 0;
		try (OutputStream out = Files.newOutputStream(target)) {
			for (int k = 1; k <= chunks; k++) {
				String path = k == 1 ? "/inbox/" + messageId : "/inbox/" + messageId + "/" + k;
				Path part = Files.createTempFile("mesh-download", ".part");
				try {
					int chunk = k;
					Map<String, String> chunkHeaders = call("download chunk " + k + " of message " + messageId, true,
							() -> new HttpGet(uri(path)), response -> {
								Map<String, String> mex = new LinkedHashMap<>();
								for (Header header : response.getHeaders()) {
									String name = header.getName().toLowerCase(Locale.ROOT);
									if (name.startsWith("mex-") || name.equals("content-encoding")) {
										mex.put(name, header.getValue());
									}
								}
								writeEntity(response.getEntity(), mex.get("content-encoding"), part);
								return mex;
							});
					if (chunk == 1) {
						headers.putAll(chunkHeaders);
						String range = chunkHeaders.get("mex-chunk-range");
						if (range != null && range.contains(":")) {
							chunks = Integer.parseInt(range.substring(range.indexOf(':') + 1).trim());
						}
					}
					bytes += Files.copy(part, out);
				}
				finally {
					deleteQuietly(part);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write downloaded message " + messageId + " to " + target, ex);
		}
		return new DownloadedMessage(messageId, headers, chunks, bytes);
	}

	public void acknowledge(String messageId) {
		call("acknowledge message " + messageId, true,
				() -> new HttpPut(uri("/inbox/" + messageId + "/status/acknowledged")), response -> null);
	}

	@FunctionalInterface
	private interface ResponseReader<T> {

		T read(ClassicHttpResponse response) throws IOException;

	}

	@FunctionalInterface
	private interface RequestFactory {

		ClassicHttpRequest create();

	}

	private <T> T call(String operation, boolean retryable, RequestFactory requests, ResponseReader<T> reader) {
		for (int attempt = 1;; attempt++) {
			ClassicHttpRequest request = requests.create();
			authorize(request);
			try {
				return this.http.execute(request, response -> {
					int status = response.getCode();
					if (status >= 200 && status < 300) {
						return reader.read(response);
					}
					throw failure(status, response);
				});
			}
			catch (HttpFailure failure) {
				if (retryable && RETRYABLE_STATUSES.contains(failure.status) && attempt < this.properties.maxAttempts()) {
					log.warn("MESH {} for mailbox {}: HTTP {}; retrying (attempt {} of {})", operation, mailbox(),
							failure.status, attempt + 1, this.properties.maxAttempts());
					backoff(operation, attempt);
					continue;
				}
				throw new MeshException(operation, mailbox(), failure.status, failure.code, failure.description, null);
			}
			catch (SSLHandshakeException ex) {
				throw new MeshException(operation, mailbox(), 0, null,
						"TLS handshake with " + this.properties.baseUrl().getHost() + " failed: " + ex.getMessage(), ex);
			}
			catch (IOException ex) {
				String why = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
				if (retryable && attempt < this.properties.maxAttempts()) {
					log.warn("MESH {} for mailbox {}: {}; retrying (attempt {} of {})", operation, mailbox(), why,
							attempt + 1, this.properties.maxAttempts());
					backoff(operation, attempt);
					continue;
				}
				throw new MeshException(operation, mailbox(), 0, null, why, ex);
			}
		}
	}

	private void backoff(String operation, int attempt) {
		long cap = this.properties.maxBackoff().toMillis();
		long base = Math.min(cap, this.properties.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
		// Full jitter between half and all of the exponential delay spreads out clients that failed together.
		long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
		try {
			this.sleeper.sleep(Duration.ofMillis(delay));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MeshException(operation, mailbox(), 0, null, "interrupted while waiting to retry", ex);
		}
	}

	private void authorize(ClassicHttpRequest request) {
		request.setHeader("Authorization", MeshAuth.token(mailbox(), this.properties.password(),
				this.properties.sharedKey(), UUID.randomUUID().toString(), 1, this.clock.instant()));
		request.setHeader("Accept", ACCEPT);
		request.setHeader("mex-ClientVersion", CLIENT_VERSION);
		request.setHeader("mex-OSName", System.getProperty("os.name"));
		request.setHeader("mex-OSVersion", System.getProperty("os.version"));
		request.setHeader("mex-OSArchitecture", System.getProperty("os.arch"));
		request.setHeader("mex-JavaVersion", System.getProperty("java.version"));
	}

	private URI uri(String path) {
		String base = this.properties.baseUrl().toString().replaceAll("/+$", "");
		return URI.create(base + "/messageexchange/" + mailbox() + path);
	}

	private JsonNode readJson(ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return this.json.createObjectNode();
		}
		try (InputStream in = entity.getContent()) {
			return this.json.readTree(in);
		}
	}

	private TrackingInfo tracking(JsonNode body) {
		return new TrackingInfo(text(body, "message_id"), text(body, "local_id"), text(body, "status"),
				text(body, "filename"), text(body, "recipient"), text(body, "upload_timestamp"));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

	/** What MESH said: v2 {@code detail[]}, v1 {@code errorCode}, or (live 5xx) an HTML or XML page. */
	private HttpFailure failure(int status, ClassicHttpResponse response) {
		String body = "";
		try {
			if (response.getEntity() != null) {
				body = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
			}
		}
		catch (Exception ex) {
			body = "";
		}
		try {
			JsonNode node = this.json.readTree(body);
			JsonNode detail = node.path("detail");
			if (detail.isArray() && !detail.isEmpty()) {
				return new HttpFailure(status, text(detail.get(0), "code"), text(detail.get(0), "msg"));
			}
			if (node.has("errorCode") || node.has("errorDescription")) {
				return new HttpFailure(status, text(node, "errorCode"), text(node, "errorDescription"));
			}
		}
		catch (RuntimeException notJson) {
			// fall through: describe the start of the page
		}
		String plain = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
		return new HttpFailure(status, null,
				plain.isEmpty() ? null : plain.substring(0, Math.min(200, plain.length())));
	}

	private static final class HttpFailure extends RuntimeException {

		final int status;

		final String code;

		final String description;

		HttpFailure(int status, String code, String description) {
			super(null, null, false, false);
			this.status = status;
			this.code = code;
			this.description = description;
		}

	}

	private static HttpEntity gzipEntity(Path gzipped) {
		return new FileEntity(gzipped.toFile(), ContentType.APPLICATION_OCTET_STREAM, "gzip");
	}

	/**
	 * Where chunk k of a file is gzipped before it is sent: beside the file rather than in the
	 * temporary directory, so the chunks a killed upload leaves behind are found and deleted when
	 * the upload is restarted (and never fill a RAM-backed /tmp).
	 */
	static Path chunkFile(Path file, int k) {
		return file.resolveSibling(file.getFileName() + ".mesh-chunk-" + k + ".gz");
	}

	private static void deleteLeftoverChunks(Path file) {
		String prefix = file.getFileName() + ".mesh-chunk-";
		try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
			for (Path leftover : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)
					&& p.getFileName().toString().endsWith(".gz")).toList()) {
				Files.deleteIfExists(leftover);
				log.info("Deleted {}, left by an earlier upload that did not finish", leftover.getFileName());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not clear chunks an earlier upload left beside " + file, ex);
		}
	}

	/** Gzips one chunk of the file on its own into its chunk file, so memory stays flat. */
	static Path gzipChunk(Path file, long offset, long length, Path gzipped) {
		try {
			try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
					OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped), 1 << 16)) {
				in.position(offset);
				InputStream region = Channels.newInputStream(in);
				byte[] buffer = new byte[1 << 16];
				long remaining = length;
				while (remaining > 0) {
					int n = region.read(buffer, 0, (int) Math.min(buffer.length, remaining));
					if (n < 0) {
						throw new IOException("File " + file + " ended before its chunk at " + offset);
					}
					out.write(buffer, 0, n);
					remaining -= n;
				}
			}
			return gzipped;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare chunk of " + file + " for MESH", ex);
		}
	}

	private static void writeEntity(HttpEntity entity, String contentEncoding, Path target) throws IOException {
		if (entity == null) {
			Files.deleteIfExists(target);
			Files.createFile(target);
			return;
		}
		try (InputStream raw = entity.getContent();
				InputStream in = "gzip".equalsIgnoreCase(contentEncoding) ? new GZIPInputStream(raw, 1 << 16) : raw) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	private static void requireLocalId(OutgoingMessage message) {
		if (message.localId() == null) {
			throw new IllegalArgumentException("A message can only be looked up by its local id if it has one");
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			log.debug("Could not delete temporary file {}", path, ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

}

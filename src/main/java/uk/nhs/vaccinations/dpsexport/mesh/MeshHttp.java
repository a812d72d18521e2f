package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
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
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP to one MESH mailbox: TLS as the environment wants it, every request signed with a fresh
 * NHSMESH token and the client headers by a request interceptor, MESH's error bodies read, and
 * retries with exponential backoff, jitter and {@code Retry-After}.
 *
 * <p>Two retry policies. {@link Retry#IDEMPOTENT}: any failure MESH may recover from is tried
 * again. {@link Retry#ONLY_IF_NOT_RECEIVED}, for the first POST of a message: only failures after
 * which MESH certainly did not store it (it refused with 425 or 429, or was never reached); any
 * other failure is thrown with {@link MeshException#outcomeUnknown()} set, for the caller to look
 * the message up rather than send it twice.
 */
final class MeshHttp implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(MeshHttp.class);

	enum Retry {

		IDEMPOTENT, ONLY_IF_NOT_RECEIVED

	}

	static final Set<Integer> RETRYABLE_STATUSES = Set.of(425, 429, 502, 503, 504);

	/** MESH refused these before doing anything. */
	private static final Set<Integer> REFUSED_UNREAD = Set.of(425, 429);

	static final String CLIENT_VERSION = "dps-mesh-export/0.1.0";

	@FunctionalInterface
	interface ResponseReader<T> {

		T read(ClassicHttpResponse response) throws IOException;

	}

	@FunctionalInterface
	interface RequestFactory {

		ClassicHttpRequest create();

	}

	private final MeshProperties properties;

	private final CloseableHttpClient http;

	private final MeshClient.Sleeper sleeper;

	private final JsonMapper json = JsonMapper.builder().build();

	MeshHttp(MeshProperties properties, Clock clock, MeshClient.Sleeper sleeper) {
		this.properties = properties;
		this.sleeper = sleeper;
		this.http = httpClient(properties, signing(properties, clock));
	}

	/** Every request, retries included, gets a token of its own: MESH accepts each token once. */
	private static HttpRequestInterceptor signing(MeshProperties p, Clock clock) {
		String mailbox = p.mailbox() == null ? null : p.mailbox().toUpperCase(Locale.ROOT);
		return (request, entity, context) -> {
			request.setHeader("Authorization", MeshAuth.token(mailbox, p.password(), p.sharedKey(),
					UUID.randomUUID().toString(), 1, clock.instant()));
			request.setHeader("Accept", "application/vnd.mesh.v2+json");
			request.setHeader("mex-ClientVersion", CLIENT_VERSION);
			request.setHeader("mex-OSName", System.getProperty("os.name"));
			request.setHeader("mex-OSVersion", System.getProperty("os.version"));
			request.setHeader("mex-OSArchitecture", System.getProperty("os.arch"));
			request.setHeader("mex-JavaVersion", System.getProperty("java.version"));
		};
	}

	private static CloseableHttpClient httpClient(MeshProperties p, HttpRequestInterceptor signing) {
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
			.addRequestInterceptorLast(signing)
			// Retries are decided per operation (see Retry): a blind retry of a send creates a duplicate.
			.disableAutomaticRetries()
			// Chunks are gzipped explicitly, one by one, as MESH requires.
			.disableContentCompression()
			.disableRedirectHandling()
			.setUserAgent(CLIENT_VERSION)
			.build();
	}

	String mailbox() {
		return this.properties.mailbox().toUpperCase(Locale.ROOT);
	}

	URI uri(String path) {
		String base = this.properties.baseUrl().toString().replaceAll("/+$", "");
		return URI.create(base + "/messageexchange/" + mailbox() + path);
	}

	URI resolve(String relative) {
		return this.properties.baseUrl().resolve(relative);
	}

	<T> T call(String operation, Retry retry, RequestFactory requests, ResponseReader<T> reader) {
		for (int attempt = 1;; attempt++) {
			ClassicHttpRequest request = requests.create();
			Failure failure;
			try {
				return this.http.execute(request, response -> {
					int status = response.getCode();
					if (status < 200 || status >= 300) {
						throw failure(status, response);
					}
					try {
						return reader.read(response);
					}
					catch (JacksonException | IOException unreadable) {
						// MESH said yes, but what it said cannot be read: as unknown as no answer at all.
						throw new Failure(status, null, "the reply could not be read (" + unreadable.getMessage() + ")",
								true, null, unreadable);
					}
				});
			}
			catch (Failure answered) {
				failure = answered;
			}
			catch (IOException ex) {
				failure = transportFailure(ex);
			}
			boolean retryable = retry == Retry.IDEMPOTENT
					? failure.notReached || failure.unknown || RETRYABLE_STATUSES.contains(failure.status)
					: failure.notReached || REFUSED_UNREAD.contains(failure.status);
			if (failure.cause instanceof SSLException) {
				retryable = false;
			}
			if (!retryable || attempt >= this.properties.maxAttempts()) {
				throw failure.toException(operation, mailbox());
			}
			Duration wait = backoff(attempt, failure.retryAfter);
			if (failure.retryAfter != null && failure.retryAfter.compareTo(this.properties.maxBackoff()) > 0) {
				throw new MeshException(operation, mailbox(), failure.status, null, "MESH asked to retry after "
						+ failure.retryAfter.toSeconds() + " s, longer than mesh.max-backoff ("
						+ this.properties.maxBackoff().toSeconds() + " s)", failure.unknown, null);
			}
			log.warn("MESH {} for mailbox {}: {}; retrying in {} ms (attempt {} of {})", operation, mailbox(),
					failure.describe(), wait.toMillis(), attempt + 1, this.properties.maxAttempts());
			try {
				this.sleeper.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new MeshException(operation, mailbox(), 0, null, "interrupted while waiting to retry",
						failure.unknown, ex);
			}
		}
	}

	/** Exponential with jitter between half and all of it, and never sooner than MESH's Retry-After. */
	private Duration backoff(int attempt, Duration retryAfter) {
		long cap = this.properties.maxBackoff().toMillis();
		long base = Math.min(cap, this.properties.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
		long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
		return retryAfter == null ? Duration.ofMillis(delay) : Duration.ofMillis(Math.max(delay, retryAfter.toMillis()));
	}

	/** Nothing reached MESH (no connection, no TLS session), or the request went and no answer came. */
	private Failure transportFailure(IOException ex) {
		String why = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
		boolean notReached = ex instanceof ConnectException || ex instanceof ConnectTimeoutException
				|| ex instanceof UnknownHostException || ex instanceof SSLException;
		if (ex instanceof SSLException) {
			why = "TLS handshake with " + this.properties.baseUrl().getHost() + " failed: " + ex.getMessage();
		}
		return new Failure(0, null, why, !notReached, null, ex).notReached(notReached);
	}

	JsonNode readJson(ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return this.json.createObjectNode();
		}
		try (InputStream in = entity.getContent()) {
			JsonNode node = this.json.readTree(in);
			return node == null ? this.json.createObjectNode() : node;
		}
	}

	/** What MESH said: v2 {@code detail[]}, v1 {@code errorCode}, or (live 5xx) an HTML or XML page. */
	private Failure failure(int status, ClassicHttpResponse response) {
		String body = "";
		try {
			if (response.getEntity() != null) {
				body = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
			}
		}
		catch (Exception ex) {
			body = "";
		}
		Duration retryAfter = retryAfter(response.getFirstHeader("Retry-After"));
		boolean unknown = status >= 500;
		try {
			JsonNode node = this.json.readTree(body);
			JsonNode detail = node.path("detail");
			if (detail.isArray() && !detail.isEmpty()) {
				return new Failure(status, text(detail.get(0), "code"), text(detail.get(0), "msg"), unknown, retryAfter,
						null);
			}
			if (node.has("errorCode") || node.has("errorDescription")) {
				return new Failure(status, text(node, "errorCode"), text(node, "errorDescription"), unknown, retryAfter,
						null);
			}
			if (node.has("message")) {
				return new Failure(status, null, text(node, "message").replaceAll("\\s+", " "), unknown, retryAfter, null);
			}
		}
		catch (RuntimeException notJson) {
			// fall through: describe the start of the page
		}
		String plain = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
		return new Failure(status, null, plain.isEmpty() ? null : plain.substring(0, Math.min(200, plain.length())),
				unknown, retryAfter, null);
	}

	/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
	static Duration retryAfter(Header header) {
		if (header == null || header.getValue() == null) {
			return null;
		}
		String value = header.getValue().trim();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Duration until = Duration.between(java.time.Instant.now(),
						ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (RuntimeException notDate) {
				return null;
			}
		}
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

	private static final class Failure extends RuntimeException {

		final int status;

		final String code;

		final String description;

		final boolean unknown;

		final Duration retryAfter;

		final Throwable cause;

		boolean notReached;

		Failure(int status, String code, String description, boolean unknown, Duration retryAfter, Throwable cause) {
			super(null, null, false, false);
			this.status = status;
			this.code = code;
			this.description = description;
			this.unknown = unknown;
			this.retryAfter = retryAfter;
			this.cause = cause;
		}

		Failure notReached(boolean value) {
			this.notReached = value;
			return this;
		}

		String describe() {
			return (this.status > 0 ? "HTTP " + this.status : "no reply")
					+ (this.description == null ? "" : " (" + this.description + ")")
					+ (this.retryAfter == null ? "" : ", Retry-After " + this.retryAfter.toSeconds() + " s");
		}

		MeshException toException(String operation, String mailbox) {
			return new MeshException(operation, mailbox, this.status, this.code, this.description, this.unknown,
					this.cause);
		}

	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

}

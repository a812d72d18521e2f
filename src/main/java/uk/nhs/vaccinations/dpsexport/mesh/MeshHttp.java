package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;


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
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.util.Timeout;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP to one MESH mailbox: TLS as the environment wants it, every request signed with a fresh
 * NHSMESH token and the client headers by a request interceptor, and each call tried again by
 * Spring's {@link RetryTemplate} as its {@link MeshRetryPolicy} allows.
 */
final class MeshHttp implements Closeable {

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

	private final Consumer<Duration> waits;

	private final JsonMapper json = JsonMapper.builder().build();

	/** @param waits told of each wait before a retry (the tests read them) */
	MeshHttp(MeshProperties properties, Clock clock, Consumer<Duration> waits) {
		this.properties = properties;
		this.waits = waits;
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
			// Retries are decided per call (MeshRetryPolicy): a blind retry of a send creates a duplicate.
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

	<T> T call(String operation, MeshRetryPolicy.Kind kind, RequestFactory requests, ResponseReader<T> reader) {
		MeshRetryPolicy policy = new MeshRetryPolicy(kind, this.properties, operation, mailbox(), this.waits);
		try {
			return new RetryTemplate(policy).execute(() -> attempt(requests, reader));
		}
		catch (RetryException ex) {
			if (Thread.currentThread().isInterrupted() || ex.getCause() instanceof InterruptedException) {
				throw policy.interrupted(ex);
			}
			throw policy.gaveUp();
		}
	}

	private <T> T attempt(RequestFactory requests, ResponseReader<T> reader) {
		try {
			return this.http.execute(requests.create(), response -> {
				int status = response.getCode();
				if (status < 200 || status >= 300) {
					throw MeshFailure.answered(status, response);
				}
				try {
					return reader.read(response);
				}
				catch (JacksonException | IOException unreadable) {
					throw MeshFailure.unreadable(status, unreadable);
				}
			});
		}
		catch (IOException ex) {
			throw MeshFailure.transport(ex, this.properties.baseUrl());
		}
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

	static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

}

package uk.nhs.vaccinations.dpsexport.mesh.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The network between the exporter and MESH, with faults we choose where and when: a proxy on a
 * loopback port that forwards every request to an upstream MESH (the project's sandbox) and can,
 * for the next matching requests, lose the reply after MESH acted, hold the request back so MESH
 * stores it only after the client gave up, cut the reply short, or answer an error itself (with
 * or without Retry-After) without MESH seeing the request. Every request is logged with its time.
 */
public final class FaultProxy implements AutoCloseable {

	public enum Fault {

		/** Forwarded, MESH acts on it, and the client never hears back (the connection is closed). */
		LOSE_REPLY,
		/** Held back for the delay, then forwarded: MESH stores it after the client has timed out. */
		STORE_LATE,
		/** Forwarded, and MESH's 2xx reply cut to half its body. */
		CUT_REPLY,
		/** Answered with the given status by the proxy; MESH never sees it. */
		REFUSE

	}

	/** A request that reached the proxy: when, and what. */
	public record Seen(Instant at, String method, String path) {
	}

	private record Rule(String method, String pathRegex, Fault fault, AtomicInteger remaining, int status,
			String retryAfter, Duration delay) {

		boolean matches(HttpExchange exchange) {
			return this.remaining.get() > 0 && exchange.getRequestMethod().equals(this.method)
					&& exchange.getRequestURI().getPath().matches(this.pathRegex);
		}

	}

	private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "expect", "upgrade",
			"transfer-encoding");

	private final HttpServer server;

	private final URI upstream;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ExecutorService executor = Executors.newFixedThreadPool(16);

	private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());

	private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

	public FaultProxy(URI upstream) {
		this.upstream = upstream;
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	public URI baseUrl() {
		return URI.create("http://localhost:" + this.server.getAddress().getPort());
	}

	/** The next {@code times} requests of {@code method} whose path matches get the fault. */
	public FaultProxy on(String method, String pathRegex, int times, Fault fault) {
		return add(new Rule(method, pathRegex, fault, new AtomicInteger(times), 0, null, null));
	}

	public FaultProxy storeLate(String method, String pathRegex, Duration delay) {
		return add(new Rule(method, pathRegex, Fault.STORE_LATE, new AtomicInteger(1), 0, null, delay));
	}

	public FaultProxy refuse(String method, String pathRegex, int times, int status, String retryAfter) {
		return add(new Rule(method, pathRegex, Fault.REFUSE, new AtomicInteger(times), status, retryAfter, null));
	}

	private FaultProxy add(Rule rule) {
		this.rules.add(rule);
		return this;
	}

	/** Forgets the faults and the requests seen so far. */
	public void clear() {
		this.rules.clear();
		this.seen.clear();
	}

	public List<Seen> seen() {
		return List.copyOf(this.seen);
	}

	private Rule ruleFor(HttpExchange exchange) {
		synchronized (this.rules) {
			for (Rule rule : this.rules) {
				if (rule.matches(exchange)) {
					rule.remaining().decrementAndGet();
					return rule;
				}
			}
		}
		return null;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			this.seen.add(new Seen(Instant.now(), exchange.getRequestMethod(), exchange.getRequestURI().getPath()));
			byte[] body = exchange.getRequestBody().readAllBytes();
			Rule rule = ruleFor(exchange);
			Fault fault = rule == null ? null : rule.fault();
			if (fault == Fault.REFUSE) {
				if (rule.retryAfter() != null) {
					exchange.getResponseHeaders().set("Retry-After", rule.retryAfter());
				}
				byte[] error = ("{\"detail\":[{\"event\":\"\",\"code\":\"\",\"msg\":\"Proxy refused it\"}]}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/vnd.mesh.v2+json");
				exchange.sendResponseHeaders(rule.status(), error.length);
				exchange.getResponseBody().write(error);
				return;
			}
			if (fault == Fault.STORE_LATE) {
				sleep(rule.delay());
			}
			HttpResponse<byte[]> reply = forward(exchange, body);
			if (fault == Fault.LOSE_REPLY || fault == Fault.STORE_LATE) {
				return; // MESH acted; the client hears nothing (or has long stopped listening)
			}
			byte[] replyBody = reply.body();
			if (fault == Fault.CUT_REPLY && reply.statusCode() / 100 == 2) {
				replyBody = java.util.Arrays.copyOf(replyBody, replyBody.length / 2);
			}
			reply.headers().map().forEach((name, values) -> {
				if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
					values.forEach(value -> exchange.getResponseHeaders().add(name, value));
				}
			});
			exchange.sendResponseHeaders(reply.statusCode(), replyBody.length == 0 ? -1 : replyBody.length);
			exchange.getResponseBody().write(replyBody);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(this.upstream.resolve(exchange.getRequestURI().toString()))
			.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				values.forEach(value -> request.header(name, value));
			}
		});
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}

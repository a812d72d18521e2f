package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One failed attempt of a MESH call, as the retry policy judges it: what MESH said (its v2
 * {@code detail[]}, v1 {@code errorCode}, or a live 5xx's HTML page), whether the request reached
 * MESH at all, whether MESH may have acted on it, and any {@code Retry-After}. Thrown inside a
 * call and turned into a {@link MeshException} when the call gives up.
 */
final class MeshFailure extends RuntimeException {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	final int status;

	final String code;

	final String description;

	/** MESH may have acted on the request: no reply, a 5xx, or a reply that could not be read. */
	final boolean unknown;

	/** The request never reached MESH: no connection, no TLS session. */
	final boolean notReached;

	final Duration retryAfter;

	final Throwable cause;

	MeshFailure(int status, String code, String description, boolean unknown, boolean notReached, Duration retryAfter,
			Throwable cause) {
		super(null, null, false, false);
		this.status = status;
		this.code = code;
		this.description = description;
		this.unknown = unknown;
		this.notReached = notReached;
		this.retryAfter = retryAfter;
		this.cause = cause;
	}

	/** MESH said yes, but what it said cannot be read: as unknown as no answer at all. */
	static MeshFailure unreadable(int status, Exception unreadable) {
		return new MeshFailure(status, null, "the reply could not be read (" + unreadable.getMessage() + ")", true, false,
				null, unreadable);
	}

	/** Nothing reached MESH (no connection, no TLS session), or the request went and no answer came. */
	static MeshFailure transport(IOException ex, URI baseUrl) {
		String why = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
		boolean notReached = ex instanceof ConnectException || ex instanceof ConnectTimeoutException
				|| ex instanceof UnknownHostException || ex instanceof SSLException;
		if (ex instanceof SSLException) {
			why = "TLS handshake with " + baseUrl.getHost() + " failed: " + ex.getMessage();
		}
		return new MeshFailure(0, null, why, !notReached, notReached, null, ex);
	}

	/** A non-2xx answer, described in MESH's own words. */
	static MeshFailure answered(int status, ClassicHttpResponse response) {
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
			JsonNode node = JSON.readTree(body);
			JsonNode detail = node.path("detail");
			if (detail.isArray() && !detail.isEmpty()) {
				return new MeshFailure(status, MeshHttp.text(detail.get(0), "code"), MeshHttp.text(detail.get(0), "msg"), unknown, false,
						retryAfter, null);
			}
			if (node.has("errorCode") || node.has("errorDescription")) {
				return new MeshFailure(status, MeshHttp.text(node, "errorCode"), MeshHttp.text(node, "errorDescription"), unknown, false,
						retryAfter, null);
			}
			if (node.has("message")) {
				return new MeshFailure(status, null, MeshHttp.text(node, "message").replaceAll("\\s+", " "), unknown, false,
						retryAfter, null);
			}
		}
		catch (RuntimeException notJson) {
			// fall through: describe the start of the page
		}
		String plain = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
		return new MeshFailure(status, null, plain.isEmpty() ? null : plain.substring(0, Math.min(200, plain.length())),
				unknown, false, retryAfter, null);
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
				Duration until = Duration.between(Instant.now(),
						ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (RuntimeException notDate) {
				return null;
			}
		}
	}

	String describe() {
		return (this.status > 0 ? "HTTP " + this.status : "no reply")
				+ (this.description == null ? "" : " (" + this.description + ")")
				+ (this.retryAfter == null ? "" : ", Retry-After " + this.retryAfter.toSeconds() + " s");
	}

	MeshException toException(String operation, String mailbox) {
		return new MeshException(operation, mailbox, this.status, this.code, this.description, this.unknown, this.cause);
	}

}

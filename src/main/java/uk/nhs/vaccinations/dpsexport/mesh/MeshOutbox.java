package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.OutgoingMessage;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.Progress;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.SendResult;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.TrackingInfo;
import uk.nhs.vaccinations.dpsexport.mesh.MeshRetryPolicy.Kind;

/**
 * The sending side of a mailbox: a file as one message, split into chunks of mesh.chunk-size,
 * each gzipped on its own; chunks 2..n of a message MESH already has; and the two ways to find
 * a sent message again, by its id and by the sender's local id.
 *
 * <p>The one rule of our own: the first POST of a message is never sent twice without a look-up.
 * When its outcome is unknown, the message is looked up by its local id; one found is adopted,
 * and if none is, the send stops with {@link SendOutcomeUnknownException}: MESH may store a
 * request late, so only the caller, after a settle time, may send again.
 */
final class MeshOutbox {

	private static final Logger log = LoggerFactory.getLogger(MeshOutbox.class);

	private final MeshHttp http;

	private final long chunkBytes;

	MeshOutbox(MeshHttp http, long chunkBytes) {
		this.http = http;
		this.chunkBytes = chunkBytes;
	}

	int chunks(Path file) {
		return GzippedChunks.count(size(file), this.chunkBytes);
	}

	SendResult send(Path file, OutgoingMessage message, Progress progress) {
		long size = size(file);
		GzippedChunks.deleteLeftovers(file);
		String messageId;
		int chunks;
		try (GzippedChunks gzipped = new GzippedChunks(file, size, this.chunkBytes, 1)) {
			chunks = gzipped.chunks();
			Path first = gzipped.take();
			try {
				messageId = firstPost(first, message, chunks);
			}
			finally {
				GzippedChunks.deleteQuietly(first);
			}
			progress.messageId(messageId);
			progress.chunkSent(1, chunks);
			uploadChunks(gzipped, messageId, chunks, 2, progress);
		}
		log.info("MESH message {} sent to {}: {} ({} bytes, {} chunk{})", messageId, message.to(), message.fileName(),
				size, chunks, chunks == 1 ? "" : "s");
		return new SendResult(messageId, chunks, false);
	}

	/**
	 * Sends chunks {@code from}..n of a message MESH already holds. A chunk sent again while the
	 * message is uploading replaces the earlier copy; once MESH has all of them it answers 423,
	 * which here means the message is complete.
	 */
	void resume(Path file, String messageId, int from, Progress progress) {
		GzippedChunks.deleteLeftovers(file);
		int chunks = chunks(file);
		if (from > chunks) {
			return;
		}
		log.info("MESH message {}: sending chunks {}..{} of {}", messageId, from, chunks, file.getFileName());
		try (GzippedChunks gzipped = new GzippedChunks(file, size(file), this.chunkBytes, from)) {
			uploadChunks(gzipped, messageId, chunks, from, progress);
		}
	}

	private String firstPost(Path gzipped, OutgoingMessage message, int chunks) {
		String operation = "send " + message.fileName();
		try {
			JsonNode body = this.http.call(operation, Kind.ONLY_IF_NOT_RECEIVED, () -> {
				HttpPost post = new HttpPost(this.http.uri("/outbox"));
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
			}, this.http::readJson);
			String id = MeshHttp.text(body, "message_id");
			if (id == null || id.isBlank()) {
				id = MeshHttp.text(body, "messageID");
			}
			if (id == null || id.isBlank()) {
				throw new MeshException(operation, this.http.mailbox(), 202, null,
						"MESH accepted the message but its reply names no message id", true, null);
			}
			return id;
		}
		catch (MeshException ex) {
			if (!ex.outcomeUnknown() || message.localId() == null) {
				throw ex;
			}
			log.warn("{}: outcome unknown ({}); looking for local id {}", operation, ex.getMessage(), message.localId());
			Optional<TrackingInfo> found;
			try {
				found = findByLocalId(message.localId());
			}
			catch (MeshException lookUp) {
				ex.addSuppressed(lookUp);
				throw new SendOutcomeUnknownException(operation, this.http.mailbox(), message.localId(), ex);
			}
			if (found.isEmpty()) {
				throw new SendOutcomeUnknownException(operation, this.http.mailbox(), message.localId(), ex);
			}
			log.info("{}: MESH did take it, as message {} ({}); adopting it", operation, found.get().messageId(),
					found.get().status());
			return found.get().messageId();
		}
	}

	private void uploadChunks(GzippedChunks gzippedChunks, String messageId, int chunks, int from, Progress progress) {
		for (int k = from; k <= chunks; k++) {
			progress.beforeChunk(k, chunks);
			Path gzipped = gzippedChunks.take();
			int chunk = k;
			try {
				this.http.call("upload chunk " + k + " of " + chunks + " of message " + messageId, Kind.IDEMPOTENT, () -> {
					HttpPost post = new HttpPost(this.http.uri("/outbox/" + messageId + "/" + chunk));
					post.setHeader("mex-Chunk-Range", chunk + ":" + chunks);
					post.setEntity(gzipEntity(gzipped));
					return post;
				}, response -> null);
			}
			catch (MeshException ex) {
				if (ex.httpStatus() == 423) {
					// MESH has every chunk already: an earlier attempt's reply to the last one was lost.
					log.info("MESH message {} is already complete (HTTP 423 on chunk {})", messageId, k);
					progress.chunkSent(chunks, chunks);
					return;
				}
				throw ex;
			}
			finally {
				GzippedChunks.deleteQuietly(gzipped);
			}
			progress.chunkSent(k, chunks);
		}
	}

	TrackingInfo track(String messageId) {
		JsonNode body = this.http.call("track message " + messageId, Kind.IDEMPOTENT,
				() -> new HttpGet(this.http.uri("/outbox/tracking?messageID=" + messageId)), this.http::readJson);
		return tracking("track message " + messageId, body);
	}

	/**
	 * MESH's older look-up by the sender's local id: it answers in MESH's v1 shape whatever the
	 * Accept header, 404 when no message has the local id, and 300 when several do.
	 */
	Optional<TrackingInfo> findByLocalId(String localId) {
		String operation = "look up local id " + localId;
		try {
			JsonNode body = this.http.call(operation, Kind.IDEMPOTENT,
					() -> new HttpGet(this.http.uri("/outbox/tracking/" + localId)), this.http::readJson);
			return Optional.of(tracking(operation, body));
		}
		catch (MeshException ex) {
			if (ex.httpStatus() == 404) {
				return Optional.empty();
			}
			if (ex.httpStatus() == 300) {
				throw new MeshException(operation, this.http.mailbox(), 300, null, "MESH holds more than one message "
						+ "with local id " + localId + "; which one DPS should get needs a person to decide", null);
			}
			throw ex;
		}
	}

	/** Tracking in either shape: v2 (message_id, lower-case status) or v1 (messageId, Title-case status). */
	private TrackingInfo tracking(String operation, JsonNode body) {
		String messageId = first(body, "message_id", "messageId");
		if (messageId == null || messageId.isBlank()) {
			throw new MeshException(operation, this.http.mailbox(), 200, null, "MESH's reply names no message id",
					true, null);
		}
		String status = first(body, "status");
		JsonNode chunkCount = body.get("chunkCount");
		return new TrackingInfo(messageId, first(body, "local_id", "localId"),
				status == null ? null : status.toLowerCase(Locale.ROOT), first(body, "filename", "fileName"),
				first(body, "recipient"), first(body, "upload_timestamp", "uploadTimestamp"),
				chunkCount == null || !chunkCount.isNumber() ? null : chunkCount.asInt());
	}

	private static String first(JsonNode body, String... fields) {
		for (String field : fields) {
			String value = MeshHttp.text(body, field);
			if (value != null && !value.isEmpty()) {
				return value;
			}
		}
		return null;
	}

	private static HttpEntity gzipEntity(Path gzipped) {
		return new FileEntity(gzipped.toFile(), ContentType.APPLICATION_OCTET_STREAM, "gzip");
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

}

package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Optional;

import org.apache.hc.client5.http.classic.methods.HttpPost;

import uk.nhs.vaccinations.dpsexport.mesh.MeshRetryPolicy.Kind;

/**
 * A MESH API client (../shared/docs/mesh-api.md) for one mailbox: the handshake here, the
 * sending side in {@link MeshOutbox}, the receiving side in {@link MeshInbox}, and HTTP, signing
 * and retries in {@link MeshHttp}.
 */
public class MeshClient implements Closeable {

	public record OutgoingMessage(String to, String workflowId, String fileName, String localId, String subject) {
	}

	/** A sent message as MESH tracks it; {@code status} in lower case whichever shape MESH answered in. */
	public record TrackingInfo(String messageId, String localId, String status, String fileName, String recipient,
			String uploadTimestamp, Integer chunkCount) {

		public boolean isUploading() {
			return "uploading".equals(this.status);
		}

	}

	/** @param resumed true when MESH already had the message (found by local id) */
	public record SendResult(String messageId, int chunks, boolean resumed) {
	}

	public record DownloadedMessage(String messageId, Map<String, String> headers, int chunks, long bytes) {
	}

	/** What the caller records as an upload goes: a restart then sends only what is missing. */
	public interface Progress {

		Progress NONE = new Progress() {
		};

		/** MESH took the first chunk and named the message. */
		default void messageId(String messageId) {
		}

		/** Chunk k of n has reached MESH. */
		default void chunkSent(int k, int n) {
		}

		/** Chunk k (2..n) of n is about to go: the caller may stop the upload here by throwing. */
		default void beforeChunk(int k, int n) {
		}

	}

	private final MeshHttp http;

	private final MeshOutbox outbox;

	private final MeshInbox inbox;

	public MeshClient(MeshProperties properties) {
		this(properties, Clock.systemUTC(), wait -> {
		});
	}

	/** @param waits told of each wait before a retry, as it starts */
	public MeshClient(MeshProperties properties, Clock clock, Consumer<Duration> waits) {
		this.http = new MeshHttp(properties, clock, waits);
		this.outbox = new MeshOutbox(this.http, properties.chunkSize().toBytes());
		this.inbox = new MeshInbox(this.http);
	}

	public String mailbox() {
		return this.http.mailbox();
	}

	/** Validates the mailbox; MESH wants this at least once every 24 hours. */
	public String handshake() {
		this.http.call("handshake", Kind.IDEMPOTENT, () -> new HttpPost(this.http.uri("")), response -> null);
		return mailbox();
	}

	/** Sends a file as a new message; see {@link MeshOutbox}. */
	public SendResult send(Path file, OutgoingMessage message) {
		return this.outbox.send(file, message, Progress.NONE);
	}

	public SendResult send(Path file, OutgoingMessage message, Progress progress) {
		return this.outbox.send(file, message, progress);
	}

	/** Sends chunks {@code from}..n of a message MESH already holds (423 from MESH: it has them all). */
	public void resume(Path file, String messageId, int from, Progress progress) {
		this.outbox.resume(file, messageId, from, progress);
	}

	/** How many chunks the file goes in. */
	public int chunks(Path file) {
		return this.outbox.chunks(file);
	}

	public TrackingInfo track(String messageId) {
		return this.outbox.track(messageId);
	}

	/** Finds a sent message by the sender's local id; empty when MESH has none. */
	public Optional<TrackingInfo> findByLocalId(String localId) {
		return this.outbox.findByLocalId(localId);
	}

	public List<String> listInbox() {
		return this.inbox.list();
	}

	public DownloadedMessage download(String messageId, Path target) {
		return this.inbox.download(messageId, target);
	}

	public void acknowledge(String messageId) {
		this.inbox.acknowledge(messageId);
	}

	/** Deletes the gzipped chunks an upload of this file that did not finish left beside it. */
	public static void deleteLeftoverChunks(Path file) {
		GzippedChunks.deleteLeftovers(file);
	}

	/** Where chunk k of a file is gzipped before it is sent (beside the file). */
	public static Path chunkFile(Path file, int k) {
		return GzippedChunks.chunkFile(file, k);
	}

	@Override
	public void close() throws IOException {
		this.http.close();
	}

}

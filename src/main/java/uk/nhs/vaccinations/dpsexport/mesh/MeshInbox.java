package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import tools.jackson.databind.JsonNode;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.DownloadedMessage;
import uk.nhs.vaccinations.dpsexport.mesh.MeshRetryPolicy.Kind;

/** The receiving side of a mailbox: list what waits, download it chunk by chunk, acknowledge it. */
final class MeshInbox {

	private final MeshHttp http;

	MeshInbox(MeshHttp http) {
		this.http = http;
	}

	/** Every message id waiting in the inbox, following MESH's relative {@code links.next}. */
	List<String> list() {
		List<String> ids = new ArrayList<>();
		URI next = this.http.uri("/inbox?max_results=500");
		while (next != null) {
			URI page = next;
			JsonNode body = this.http.call("list inbox", Kind.IDEMPOTENT, () -> new HttpGet(page), this.http::readJson);
			body.path("messages").forEach(id -> ids.add(id.asString()));
			String link = body.path("links").path("next").asString(null);
			next = link == null || link.isEmpty() ? null : this.http.resolve(link);
		}
		return ids;
	}

	/**
	 * Downloads every chunk of a message into target, each decompressed once if MESH sent it
	 * gzipped ({@code mex-content-compressed} describes the sender's payload, not this transfer).
	 */
	DownloadedMessage download(String messageId, Path target) {
		Map<String, String> headers = new LinkedHashMap<>();
		int chunks = 1;
		long bytes = 0;
		try (OutputStream out = Files.newOutputStream(target)) {
			for (int k = 1; k <= chunks; k++) {
				String path = k == 1 ? "/inbox/" + messageId : "/inbox/" + messageId + "/" + k;
				Path part = Files.createTempFile("mesh-download", ".part");
				try {
					Map<String, String> chunkHeaders = this.http.call("download chunk " + k + " of message " + messageId,
							Kind.IDEMPOTENT, () -> new HttpGet(this.http.uri(path)), response -> {
								Map<String, String> mex = new LinkedHashMap<>();
								for (Header header : response.getHeaders()) {
									String name = header.getName().toLowerCase(Locale.ROOT);
									if (name.startsWith("mex-") || name.equals("content-encoding")) {
										mex.put(name, header.getValue());
									}
								}
								write(response.getEntity(), mex.get("content-encoding"), part);
								return mex;
							});
					if (k == 1) {
						headers.putAll(chunkHeaders);
						String range = chunkHeaders.get("mex-chunk-range");
						if (range != null && range.contains(":")) {
							chunks = Integer.parseInt(range.substring(range.indexOf(':') + 1).trim());
						}
					}
					bytes += Files.copy(part, out);
				}
				finally {
					GzippedChunks.deleteQuietly(part);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write downloaded message " + messageId + " to " + target, ex);
		}
		return new DownloadedMessage(messageId, headers, chunks, bytes);
	}

	void acknowledge(String messageId) {
		this.http.call("acknowledge message " + messageId, Kind.IDEMPOTENT,
				() -> new HttpPut(this.http.uri("/inbox/" + messageId + "/status/acknowledged")), response -> null);
	}

	private static void write(HttpEntity entity, String contentEncoding, Path target) throws IOException {
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

}

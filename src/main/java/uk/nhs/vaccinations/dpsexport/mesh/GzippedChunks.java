package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file's MESH chunks, from {@code first} on, each gzipped on its own on other threads while the
 * one before is sent, at most {@value #AHEAD} ahead so the files on disk stay bounded. The chunks
 * are written beside the file ({@code <file>.mesh-chunk-<k>.gz}), so what a killed upload leaves is
 * found and deleted by the next one. The caller deletes each chunk it takes; closing deletes the rest.
 *
 * <p>No wait is unbounded: taking a chunk waits at most {@link #MAX_WAIT}, and closing cancels
 * what is still queued or running, waits a bounded time for the threads, and deletes by name
 * every chunk it did not hand out, whatever state its task was in.
 */
final class GzippedChunks implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(GzippedChunks.class);

	static final int AHEAD = 2;

	/** Gzipping one 75 MiB chunk takes seconds; this much means the machine or the disk has stalled. */
	static final Duration MAX_WAIT = Duration.ofMinutes(10);

	private final ExecutorService compressors = Executors.newFixedThreadPool(AHEAD, runnable -> {
		Thread thread = new Thread(runnable, "mesh-gzip");
		thread.setDaemon(true);
		return thread;
	});

	private final Deque<Future<Path>> ready = new ArrayDeque<>();

	private final Path file;

	private final long size;

	private final long chunkBytes;

	private final int chunks;

	private int next;

	private int taken;

	GzippedChunks(Path file, long size, long chunkBytes, int first) {
		this.file = file;
		this.size = size;
		this.chunkBytes = chunkBytes;
		this.chunks = count(size, chunkBytes);
		this.next = first;
		this.taken = first - 1;
		fill();
	}

	static int count(long size, long chunkBytes) {
		return (int) Math.max(1, (size + chunkBytes - 1) / chunkBytes);
	}

	int chunks() {
		return this.chunks;
	}

	private void fill() {
		while (this.next <= this.chunks && this.ready.size() < AHEAD) {
			long offset = (this.next - 1) * this.chunkBytes;
			long length = Math.min(this.chunkBytes, this.size - offset);
			Path gzipped = chunkFile(this.file, this.next);
			this.ready.add(this.compressors.submit(() -> gzip(this.file, offset, length, gzipped)));
			this.next++;
		}
	}

	/** The next chunk, gzipped: the caller sends it and deletes it. */
	Path take() {
		Future<Path> future = this.ready.poll();
		if (future == null) {
			throw new IllegalStateException("Every chunk of " + this.file + " was taken");
		}
		try {
			Path gzipped = future.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			this.taken++;
			fill();
			return gzipped;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while preparing a MESH chunk of " + this.file, ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Gzipping a MESH chunk of " + this.file + " took more than " + MAX_WAIT, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public void close() {
		for (Future<Path> pending : this.ready) {
			pending.cancel(true);
		}
		this.ready.clear();
		this.compressors.shutdownNow();
		try {
			if (!this.compressors.awaitTermination(30, TimeUnit.SECONDS)) {
				log.warn("Gzip threads for {} did not stop within 30 s; they are daemons and end with the process",
						this.file.getFileName());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (int k = this.taken + 1; k < this.next; k++) {
			deleteQuietly(chunkFile(this.file, k));
		}
	}

	/** Where chunk k of a file is gzipped before it is sent. */
	static Path chunkFile(Path file, int k) {
		return file.resolveSibling(file.getFileName() + ".mesh-chunk-" + k + ".gz");
	}

	/** Deletes the chunks an earlier upload of this file left behind. */
	static void deleteLeftovers(Path file) {
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
	static Path gzip(Path file, long offset, long length, Path gzipped) {
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

	static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			log.debug("Could not delete temporary file {}", path, ex);
		}
	}

}

package uk.nhs.vaccinations.dpsexport.dps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A running summary of a DPS file's bytes: how many, how many line feeds and their SHA-256. The
 * writer keeps one as it writes, so the file is not read again to be sealed; the seal and the
 * upload build one from the file when they cannot rely on the writer's.
 *
 * <p>Why the writer hashes rather than the seal: hashing a file the moment it is complete meant a
 * second pass over 600 MB at national volume, and on a busy machine the JIT had not yet compiled
 * the digest's SHA instructions when the first files were sealed, so it ran ten times slower (1.5
 * to 2 CPU seconds of the export's ~40). Hashed as it is written, it is compiled early.
 */
public final class FileSummary {

	/** What a summary says at one moment. */
	public record Snapshot(long size, long lineFeeds, String sha256) {
	}

	private static final int READ_BYTES = 1 << 20;

	private final MessageDigest sha256;

	private long size;

	private long lineFeeds;

	public FileSummary() {
		try {
			this.sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("This JVM has no SHA-256", ex);
		}
	}

	/** The first {@code length} bytes of a file, read once. */
	public static FileSummary of(Path file, long length) throws IOException {
		FileSummary summary = new FileSummary();
		ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
		try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
			while (summary.size < length) {
				buffer.clear().limit((int) Math.min(READ_BYTES, length - summary.size));
				while (buffer.hasRemaining()) {
					if (in.read(buffer) < 0) {
						throw new IOException(file + " ends at " + (summary.size + buffer.position())
								+ " bytes, before " + length);
					}
				}
				summary.update(buffer.array(), 0, buffer.position());
			}
		}
		return summary;
	}

	/** The whole file, read once. */
	public static Snapshot of(Path file) throws IOException {
		try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
			return of(file, in.size()).snapshot();
		}
	}

	public void update(byte[] bytes, int offset, int length) {
		this.sha256.update(bytes, offset, length);
		this.lineFeeds += countLineFeeds(ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN));
		this.size += length;
	}

	/** The summary so far, without ending it: the digest is finished on a copy. */
	public Snapshot snapshot() {
		MessageDigest copy;
		try {
			copy = (MessageDigest) this.sha256.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("SHA-256 digest cannot be copied", ex);
		}
		return new Snapshot(this.size, this.lineFeeds, HexFormat.of().formatHex(copy.digest()));
	}

	private static final long ONES_7F = 0x7F7F7F7F7F7F7F7FL;

	private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;

	/**
	 * Counts '\n' eight bytes at a time: a byte of x is zero exactly where the word held a line feed,
	 * and the masked add sets a byte's top bit for every non-zero byte without carrying into the next.
	 */
	static long countLineFeeds(ByteBuffer buffer) {
		long count = 0;
		while (buffer.remaining() >= Long.BYTES) {
			long x = buffer.getLong() ^ LINE_FEEDS;
			long nonZero = ((x & ONES_7F) + ONES_7F) | x;
			count += Long.bitCount(~(nonZero | ONES_7F));
		}
		while (buffer.hasRemaining()) {
			if (buffer.get() == '\n') {
				count++;
			}
		}
		return count;
	}

}

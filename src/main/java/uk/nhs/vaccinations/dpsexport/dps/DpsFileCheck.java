package uk.nhs.vaccinations.dpsexport.dps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The last look at a DPS file before it leaves: the checks DPS makes of a whole file (format doc,
 * "What DPS checks"), and the row count the export expects. A file that fails its name or header
 * check is lost at DPS and holds up every later file of the same supplier and vaccine type, so
 * one that fails here is never sent.
 *
 * <p>One pass over the bytes: quotes are tracked so that a {@code |} inside a field is not a
 * separator, and a line feed or carriage return inside a field is refused (it would make DPS
 * read more lines than there are rows).
 */
public final class DpsFileCheck {

	/** The file, or its name, is one DPS would reject. */
	public static final class RejectedFileException extends IllegalStateException {

		RejectedFileException(String message) {
			super(message);
		}

	}

	private static final byte[] HEADER = (DpsLineFormatter.header() + DpsFileFormat.LINE_END)
		.getBytes(StandardCharsets.UTF_8);

	private static final int FIELDS = DpsFileFormat.COLUMNS.size();

	private DpsFileCheck() {
	}

	/**
	 * Throws {@link RejectedFileException}, saying which check failed, unless DPS would accept the
	 * file as a whole under {@code fileName} and it holds exactly {@code expectedRows} data rows.
	 */
	public static void check(Path file, String fileName, String supplierOdsCode, long expectedRows) throws IOException {
		DpsFileName.problem(fileName, supplierOdsCode).ifPresent(problem -> {
			throw rejected(file, "its name is wrong: " + problem);
		});
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
			int read = readFully(channel, buffer);
			byte[] bytes = buffer.array();
			if (read >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
				throw rejected(file, "it starts with a UTF-8 byte-order mark, which fails DPS's header check");
			}
			if (read < HEADER.length || !Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) {
				throw rejected(file, "its first line is not the header of the " + FIELDS + " DPS columns");
			}
			long lines = 1;
			int fields = 1;
			boolean quoted = false;
			byte last = '\n';
			int from = HEADER.length;
			while (read > 0) {
				for (int i = from; i < read; i++) {
					byte b = bytes[i];
					if (b == '"') {
						// A doubled quote inside a field toggles twice: in, out, in.
						quoted = !quoted;
					}
					else if (quoted) {
						if (b == '\n' || b == '\r') {
							throw rejected(file, "line " + (lines + 1) + " has a line break inside a field");
						}
					}
					else if (b == '|') {
						fields++;
					}
					else if (b == '\n') {
						lines++;
						if (fields != FIELDS) {
							throw rejected(file, "line " + lines + " has " + fields + " fields, not " + FIELDS);
						}
						fields = 1;
					}
					else if (b == '\r') {
						throw rejected(file, "line " + (lines + 1) + " has a carriage return outside a field");
					}
				}
				last = bytes[read - 1];
				from = 0;
				read = readFully(channel, buffer);
			}
			if (quoted || last != '\n') {
				throw rejected(file, "its last line is cut short (an open quote, or no line feed at the end)");
			}
			long rows = lines - 1;
			if (rows != expectedRows) {
				throw rejected(file, "it holds " + rows + " data rows, but the export wrote " + expectedRows);
			}
		}
	}

	private static int readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
		buffer.clear();
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				break;
			}
		}
		return buffer.position();
	}

	private static RejectedFileException rejected(Path file, String why) {
		return new RejectedFileException("DPS would reject " + file.getFileName() + ": " + why
				+ "; it was not sent");
	}

}

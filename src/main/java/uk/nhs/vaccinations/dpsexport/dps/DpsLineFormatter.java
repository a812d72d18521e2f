package uk.nhs.vaccinations.dpsexport.dps;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Formats rows as DPS wants them, straight into UTF-8 bytes: pipe separated, every field
 * double-quoted, embedded quotes doubled, LF after every line. Not thread-safe: one per writer.
 *
 * <p>Hand-written rather than OpenCSV's writer (still the tests' oracle and reader): the rule
 * is one line of code, and going through OpenCSV's char-by-char writer, a String per line and
 * a second encoding pass cost a fifth of the file step's CPU at national volume.
 */
public final class DpsLineFormatter {

	private static final byte SEPARATOR = (byte) DpsFileFormat.SEPARATOR;

	private static final byte QUOTE = (byte) DpsFileFormat.QUOTE;

	private static final byte LF = '\n';

	private byte[] bytes;

	private int length;

	public DpsLineFormatter() {
		this(1 << 16);
	}

	public DpsLineFormatter(int initialCapacity) {
		this.bytes = new byte[initialCapacity];
	}

	/** Appends the header line, LF included. */
	public DpsLineFormatter appendHeader() {
		return appendLine(DpsFileFormat.COLUMNS.toArray(String[]::new));
	}

	/** Appends a row's line, LF included. */
	public DpsLineFormatter append(DpsRow row) {
		return appendLine(row.fields());
	}

	private DpsLineFormatter appendLine(String[] fields) {
		for (int i = 0; i < fields.length; i++) {
			if (i > 0) {
				put(SEPARATOR);
			}
			put(QUOTE);
			putEscaped(fields[i]);
			put(QUOTE);
		}
		put(LF);
		return this;
	}

	private void putEscaped(String field) {
		if (field == null || field.isEmpty()) {
			return;
		}
		// ASCII, nearly every field, goes char by char straight into the buffer: encoding it first
		// made a byte array per field, 30 million of them in a national file.
		int n = field.length();
		ensure(2 * n);
		byte[] out = this.bytes;
		int at = this.length;
		for (int i = 0; i < n; i++) {
			char c = field.charAt(i);
			if (c >= 0x80) {
				this.length = at;
				putEscapedUtf8(field.substring(i));
				return;
			}
			out[at++] = (byte) c;
			if (c == '"') {
				out[at++] = QUOTE;
			}
		}
		this.length = at;
	}

	private void putEscapedUtf8(String text) {
		// '"' (0x22) never occurs inside a multi-byte UTF-8 sequence, so scanning the bytes is exact.
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		ensure(2 * utf8.length);
		byte[] out = this.bytes;
		int at = this.length;
		for (byte b : utf8) {
			out[at++] = b;
			if (b == QUOTE) {
				out[at++] = QUOTE;
			}
		}
		this.length = at;
	}

	private void put(byte b) {
		ensure(1);
		this.bytes[this.length++] = b;
	}

	private void ensure(int more) {
		if (this.length + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
		}
	}

	/** The bytes appended since the last {@link #clear()}: valid up to {@link #length()}. */
	public byte[] bytes() {
		return this.bytes;
	}

	public int length() {
		return this.length;
	}

	public void clear() {
		this.length = 0;
	}

	/** One row's line without its LF, as text: for logs and tests. */
	public static String line(DpsRow row) {
		return text(new DpsLineFormatter(1024).append(row));
	}

	/** The header line without its LF, as text. */
	public static String header() {
		return text(new DpsLineFormatter(1024).appendHeader());
	}

	private static String text(DpsLineFormatter formatter) {
		return new String(formatter.bytes, 0, formatter.length - 1, StandardCharsets.UTF_8);
	}

}

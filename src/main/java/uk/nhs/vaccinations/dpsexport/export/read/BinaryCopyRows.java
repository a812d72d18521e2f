package uk.nhs.vaccinations.dpsexport.export.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;

/**
 * Reads the output of {@code COPY ... TO STDOUT (FORMAT binary)} a row at a time and, within a
 * row, a field at a time in column order.
 *
 * <p>The format is PostgreSQL's ("Binary Format" under COPY in its documentation): an 11-byte
 * signature, a 32-bit flags word and a header extension; then per row a 16-bit field count and,
 * per field, a 32-bit length (-1 for NULL) and the value in its type's binary send format; a field
 * count of -1 ends the data. Values are decoded for the types the export query selects: bigint,
 * integer, boolean, text (sent in the client encoding, which PgJDBC sets to UTF-8), uuid, date and
 * timestamptz. A length that does not fit the type asked for fails, so a column whose type changed
 * is found rather than misread.
 */
final class BinaryCopyRows {

	private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };

	/** PostgreSQL counts dates and timestamps from 2000-01-01 (UTC for timestamptz). */
	private static final long EPOCH_2000_DAYS = LocalDate.of(2000, 1, 1).toEpochDay();

	private static final long EPOCH_2000_SECONDS = EPOCH_2000_DAYS * 86_400;

	private final InputStream in;

	private final int columns;

	private byte[] buffer = new byte[1 << 16];

	private int position;

	private int limit;

	private int fieldsLeft;

	private long row;

	/** @param columns how many fields every row must have */
	BinaryCopyRows(InputStream in, int columns) throws IOException {
		this.in = in;
		this.columns = columns;
		ensure(SIGNATURE.length + 8);
		if (!Arrays.equals(this.buffer, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
			throw new IOException("Not PostgreSQL binary COPY data: the signature is missing");
		}
		this.position = SIGNATURE.length;
		int flags = readInt();
		if ((flags & (1 << 16)) != 0) {
			throw new IOException("Binary COPY data with OIDs is not expected");
		}
		int extension = readInt();
		ensure(extension);
		this.position += extension;
	}

	/** Moves to the next row; false once the data has ended. */
	boolean next() throws IOException {
		if (this.fieldsLeft != 0) {
			throw new IllegalStateException(this.fieldsLeft + " fields of row " + this.row + " were not read");
		}
		ensure(2);
		short fields = (short) (((this.buffer[this.position] & 0xFF) << 8) | (this.buffer[this.position + 1] & 0xFF));
		this.position += 2;
		if (fields == -1) {
			return false;
		}
		this.row++;
		if (fields != this.columns) {
			throw new IOException("Row " + this.row + " of the COPY data has " + fields + " fields, expected "
					+ this.columns);
		}
		this.fieldsLeft = fields;
		return true;
	}

	/** The index (from 0) of the field the next read returns. */
	int field() {
		return this.columns - this.fieldsLeft;
	}

	Long int8() throws IOException {
		return length(8, "bigint") < 0 ? null : readLong();
	}

	Integer int4() throws IOException {
		return length(4, "integer") < 0 ? null : readInt();
	}

	Boolean bool() throws IOException {
		return length(1, "boolean") < 0 ? null : this.buffer[this.position++] != 0;
	}

	UUID uuid() throws IOException {
		return length(16, "uuid") < 0 ? null : new UUID(readLong(), readLong());
	}

	LocalDate date() throws IOException {
		if (length(4, "date") < 0) {
			return null;
		}
		int days = readInt();
		// PostgreSQL's infinity: decoded, so the record is rejected for it rather than the whole file stopping
		if (days == Integer.MAX_VALUE) {
			return LocalDate.MAX;
		}
		if (days == Integer.MIN_VALUE) {
			return LocalDate.MIN;
		}
		return LocalDate.ofEpochDay(EPOCH_2000_DAYS + days);
	}

	Instant timestamptz() throws IOException {
		if (length(8, "timestamptz") < 0) {
			return null;
		}
		long micros = readLong();
		if (micros == Long.MAX_VALUE) {
			return Instant.MAX;
		}
		if (micros == Long.MIN_VALUE) {
			return Instant.MIN;
		}
		return Instant.ofEpochSecond(EPOCH_2000_SECONDS + Math.floorDiv(micros, 1_000_000),
				Math.floorMod(micros, 1_000_000) * 1_000L);
	}

	String text() throws IOException {
		int length = length(-1, "text");
		if (length < 0) {
			return null;
		}
		String value = new String(this.buffer, this.position, length, StandardCharsets.UTF_8);
		this.position += length;
		return value;
	}

	/** The next field's length (-1 for NULL), with its bytes buffered; {@code expected} -1 for any. */
	private int length(int expected, String type) throws IOException {
		if (this.fieldsLeft == 0) {
			throw new IllegalStateException("Row " + this.row + " has no more fields");
		}
		this.fieldsLeft--;
		ensure(4);
		int length = readInt();
		if (length < 0) {
			return -1;
		}
		if (expected >= 0 && length != expected) {
			throw new IOException("Field " + (this.columns - this.fieldsLeft) + " of row " + this.row + " is "
					+ length + " bytes; expected " + type + " of " + expected);
		}
		ensure(length);
		return length;
	}

	private int readInt() {
		byte[] b = this.buffer;
		int p = this.position;
		this.position = p + 4;
		return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
	}

	private long readLong() {
		long high = readInt() & 0xFFFF_FFFFL;
		return (high << 32) | (readInt() & 0xFFFF_FFFFL);
	}

	/** Makes the next {@code n} bytes available from {@code position}, reading more as needed. */
	private void ensure(int n) throws IOException {
		if (this.limit - this.position >= n) {
			return;
		}
		int remaining = this.limit - this.position;
		if (n > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, Math.max(n, this.buffer.length * 2));
		}
		System.arraycopy(this.buffer, this.position, this.buffer, 0, remaining);
		this.position = 0;
		this.limit = remaining;
		while (this.limit < n) {
			int read = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
			if (read < 0) {
				throw new IOException("The COPY data ended inside row " + this.row);
			}
			this.limit += read;
		}
	}

}

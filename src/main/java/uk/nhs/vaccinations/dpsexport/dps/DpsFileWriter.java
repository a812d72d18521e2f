package uk.nhs.vaccinations.dpsexport.dps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Writes a DPS file, restartably: the same contract as Spring Batch's FlatFileItemWriter (and
 * the same execution context keys), without its per-chunk character buffer and double encoding.
 *
 * <p>Each chunk's rows go to the file as they are written. The byte position and row count
 * reach the execution context in {@link #update}, which Batch commits in the chunk's own
 * transaction; a restart truncates the file to the last committed position, so rows of a chunk
 * that never committed are written again, once.
 */
public class DpsFileWriter implements ItemStreamWriter<DpsRow> {

	/** FlatFileItemWriter's names, so a restart finds state written by either. */
	static final String POSITION = "current.count";

	static final String ROWS = "written";

	/** Rows are flushed to the file in slices of this size: the buffer stays small whatever the chunk size. */
	private static final int FLUSH_BYTES = 1 << 18;

	private final String name;

	private final Path file;

	private final DpsLineFormatter formatter = new DpsLineFormatter(FLUSH_BYTES + (1 << 14));

	private FileChannel channel;

	private long position;

	private long rows;

	public DpsFileWriter(String name, Path file) {
		this.name = name;
		this.file = file;
	}

	@Override
	public void open(ExecutionContext context) throws ItemStreamException {
		try {
			Files.createDirectories(this.file.toAbsolutePath().getParent());
			if (context.containsKey(key(POSITION))) {
				reopen(context.getLong(key(POSITION)), context.getLong(key(ROWS), 0));
			}
			else {
				this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						StandardOpenOption.TRUNCATE_EXISTING);
				this.position = 0;
				this.rows = 0;
				this.formatter.clear();
				this.formatter.appendHeader();
				flush();
			}
		}
		catch (IOException ex) {
			throw new ItemStreamException("Cannot open DPS file " + this.file + ": " + ex.getMessage(), ex);
		}
	}

	private void reopen(long committed, long committedRows) throws IOException {
		if (!Files.isRegularFile(this.file)) {
			throw new ItemStreamException("DPS file " + this.file + " is missing; the last run committed " + committedRows
					+ " rows to it. Delete the export's job instance state only if you mean to start the file again.");
		}
		this.channel = FileChannel.open(this.file, StandardOpenOption.WRITE);
		long size = this.channel.size();
		if (size < committed) {
			this.channel.close();
			throw new ItemStreamException("DPS file " + this.file + " holds " + size + " bytes but the last run committed "
					+ committed + " bytes (" + committedRows + " rows) to it; the file lost data since, so the restart "
					+ "cannot resume it");
		}
		// Rows past the last commit belong to a chunk that rolled back; they are read and written again.
		this.channel.truncate(committed);
		this.channel.position(committed);
		this.position = committed;
		this.rows = committedRows;
	}

	@Override
	public void write(Chunk<? extends DpsRow> chunk) throws IOException {
		this.formatter.clear();
		for (DpsRow row : chunk) {
			this.formatter.append(row);
			if (this.formatter.length() >= FLUSH_BYTES) {
				flush();
			}
		}
		flush();
		this.rows += chunk.size();
	}

	private void flush() throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(this.formatter.bytes(), 0, this.formatter.length());
		while (buffer.hasRemaining()) {
			this.position += this.channel.write(buffer);
		}
		this.formatter.clear();
	}

	@Override
	public void update(ExecutionContext context) throws ItemStreamException {
		if (this.channel != null) {
			context.putLong(key(POSITION), this.position);
			context.putLong(key(ROWS), this.rows);
		}
	}

	@Override
	public void close() throws ItemStreamException {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				throw new ItemStreamException("Cannot close DPS file " + this.file + ": " + ex.getMessage(), ex);
			}
			finally {
				this.channel = null;
			}
		}
	}

	private String key(String suffix) {
		return this.name + "." + suffix;
	}

}

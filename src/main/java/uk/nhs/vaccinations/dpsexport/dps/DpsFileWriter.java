package uk.nhs.vaccinations.dpsexport.dps;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

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
 *
 * <p>It also keeps a {@link FileSummary} of what it wrote (line feeds and SHA-256), committed
 * beside the position, which the seal step uses instead of reading the file again. A restart
 * reads the committed part once to carry the summary on, and refuses to resume a file whose
 * committed part no longer hashes as it did.
 */
public class DpsFileWriter implements ItemStreamWriter<DpsRow> {

	/** FlatFileItemWriter's names, so a restart finds state written by either. */
	static final String POSITION = "current.count";

	static final String ROWS = "written";

	/** The committed part's line feeds and SHA-256: {@link #summary(ExecutionContext, String)} reads them. */
	static final String LINE_FEEDS = "lineFeeds";

	static final String SHA256 = "sha256";

	/** Rows are flushed to the file in slices of this size: the buffer stays small whatever the chunk size. */
	private static final int FLUSH_BYTES = 1 << 18;

	private final String name;

	private final Path file;

	private final DpsLineFormatter formatter = new DpsLineFormatter(FLUSH_BYTES + (1 << 14));

	private FileChannel channel;

	private long position;

	private long rows;

	private FileSummary summary;

	public DpsFileWriter(String name, Path file) {
		this.name = name;
		this.file = file;
	}

	@Override
	public void open(ExecutionContext context) throws ItemStreamException {
		try {
			Files.createDirectories(this.file.toAbsolutePath().getParent());
			if (context.containsKey(key(POSITION))) {
				reopen(context.getLong(key(POSITION)), context.getLong(key(ROWS), 0), context);
			}
			else {
				this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						StandardOpenOption.TRUNCATE_EXISTING);
				this.position = 0;
				this.rows = 0;
				this.summary = new FileSummary();
				this.formatter.clear();
				this.formatter.appendHeader();
				flush();
			}
		}
		catch (IOException ex) {
			throw new ItemStreamException("Cannot open DPS file " + this.file + ": " + ex.getMessage(), ex);
		}
	}

	private void reopen(long committed, long committedRows, ExecutionContext context) throws IOException {
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
		this.summary = FileSummary.of(this.file, committed);
		String committedSha256 = context.getString(key(SHA256), null);
		if (committedSha256 != null && !committedSha256.equals(this.summary.snapshot().sha256())) {
			this.channel.close();
			throw new ItemStreamException("DPS file " + this.file + " changed since the last run committed " + committedRows
					+ " rows to it: its first " + committed + " bytes no longer have the SHA-256 committed with them, "
					+ "so the restart cannot resume it");
		}
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
		this.summary.update(this.formatter.bytes(), 0, this.formatter.length());
		ByteBuffer buffer = ByteBuffer.wrap(this.formatter.bytes(), 0, this.formatter.length());
		try {
			while (buffer.hasRemaining()) {
				this.position += this.channel.write(buffer);
			}
		}
		catch (IOException ex) {
			// "No space left on device" says what, not where
			throw new IOException("Could not write DPS file " + this.file + ": " + ex.getMessage(), ex);
		}
		this.formatter.clear();
	}

	@Override
	public void update(ExecutionContext context) throws ItemStreamException {
		if (this.channel != null) {
			context.putLong(key(POSITION), this.position);
			context.putLong(key(ROWS), this.rows);
			FileSummary.Snapshot written = this.summary.snapshot();
			context.putLong(key(LINE_FEEDS), written.lineFeeds());
			context.putString(key(SHA256), written.sha256());
		}
	}

	/** The keys under which a writer of this name commits its state: for promotion to the job's context. */
	public static String[] keys(String name) {
		return new String[] { name + "." + POSITION, name + "." + ROWS, name + "." + LINE_FEEDS, name + "." + SHA256 };
	}

	/** What a writer of this name had committed to the file when it last updated the context, if it did. */
	public static Optional<FileSummary.Snapshot> summary(ExecutionContext context, String name) {
		if (!context.containsKey(name + "." + SHA256)) {
			return Optional.empty();
		}
		return Optional.of(new FileSummary.Snapshot(context.getLong(name + "." + POSITION),
				context.getLong(name + "." + LINE_FEEDS), context.getString(name + "." + SHA256)));
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

package uk.nhs.vaccinations.dpsexport.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step 3: make the written file durable, then check it holds exactly the export's claimed
 * records less its rejects before anything may upload it; store its size and SHA-256.
 */
class SealFileTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(SealFileTasklet.class);

	/** Set in the seal step's context when this execution sealed the file (not when an earlier one had). */
	static final String SEALED_SHA256 = "sealedSha256";

	private final ExportRepository exports;

	SealFileTasklet(ExportRepository exports) {
		this.exports = exports;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		DpsExport export = DpsExportJobConfig.currentExport(this.exports,
				contribution.getStepExecution().getJobParameters());
		if (export.status() != ExportStatus.CLAIMED) {
			log.info("Export {} is already {}; file {} was sealed before", export.localId(), export.status(),
					export.filePath());
			return RepeatStatus.FINISHED;
		}
		Path file = export.filePath();
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException("DPS file " + file + " of export " + export.localId() + " is missing");
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
		FileSummary summary = summarise(file);
		int rejects = this.exports.countRejects(export.id());
		long dataRows = summary.lines() - 1;
		if (dataRows != export.claimedCount() - rejects) {
			throw new IllegalStateException("DPS file " + file + " has " + dataRows + " rows but export "
					+ export.localId() + " claimed " + export.claimedCount() + " records with " + rejects
					+ " rejected; refusing to send it");
		}
		this.exports.markWritten(export.id(), (int) dataRows, rejects, summary.size(), summary.sha256());
		contribution.incrementWriteCount(dataRows);
		contribution.getStepExecution().getExecutionContext().putString(SEALED_SHA256, summary.sha256());
		log.info("Sealed {}: {} rows, {} rejected, {} bytes, sha256 {}", file.getFileName(), dataRows, rejects,
				summary.size(), summary.sha256());
		return RepeatStatus.FINISHED;
	}

	record FileSummary(long lines, long size, String sha256) {
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

	static FileSummary summarise(Path file) throws IOException {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		long lines = 0;
		long size = 0;
		ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
		try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
			while (in.read(buffer) != -1) {
				buffer.flip();
				digest.update(buffer.array(), 0, buffer.limit());
				size += buffer.limit();
				lines += countLineFeeds(buffer);
				buffer.clear();
			}
		}
		return new FileSummary(lines, size, HexFormat.of().formatHex(digest.digest()));
	}

}

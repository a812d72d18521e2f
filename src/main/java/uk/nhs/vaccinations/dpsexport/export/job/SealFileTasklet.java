package uk.nhs.vaccinations.dpsexport.export.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileWriter;
import uk.nhs.vaccinations.dpsexport.dps.FileSummary;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

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
		DpsExport export = this.exports.get(ExportJob.exportId(contribution.getStepExecution().getJobExecution()));
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
		FileSummary.Snapshot summary = summary(file, contribution.getStepExecution().getJobExecution());
		int rejects = this.exports.countRejects(export.id());
		long dataRows = summary.lineFeeds() - 1;
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

	/**
	 * What the file holds. Written by this very execution: the writer's own summary, committed with
	 * its last chunk, once the file's size agrees with it. Written by an earlier execution (this is a
	 * restart, perhaps days later): the file is read and hashed again, and must still hash as written.
	 */
	static FileSummary.Snapshot summary(Path file, JobExecution execution) throws IOException {
		Optional<FileSummary.Snapshot> written = DpsFileWriter.summary(execution.getExecutionContext(),
				ExportJob.FILE_WRITER);
		boolean writtenNow = execution.getStepExecutions()
			.stream()
			.anyMatch(step -> step.getStepName().equals(ExportJob.WRITE) && step.getStatus() == BatchStatus.COMPLETED);
		if (writtenNow && written.isPresent()) {
			long size = Files.size(file);
			if (size != written.get().size()) {
				throw new IllegalStateException("DPS file " + file + " holds " + size + " bytes but its writer wrote "
						+ written.get().size() + "; refusing to send it");
			}
			return written.get();
		}
		FileSummary.Snapshot read = FileSummary.of(file);
		if (written.isPresent()) {
			if (!written.get().sha256().equals(read.sha256())) {
				throw new IllegalStateException("DPS file " + file + " changed since it was written: its SHA-256 is "
						+ read.sha256() + ", its writer's was " + written.get().sha256() + "; refusing to send it");
			}
			log.info("DPS file {} was written by an earlier execution; read again, it still hashes as its writer wrote it",
					file);
		}
		return read;
	}

}

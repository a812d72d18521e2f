package uk.nhs.vaccinations.dpsexport.export;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step 5: in one transaction, record every delivered record's version as sent and the export
 * as SENT. Running it again changes nothing.
 */
class MarkSentTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(MarkSentTasklet.class);

	private final ExportRepository exports;

	MarkSentTasklet(ExportRepository exports) {
		this.exports = exports;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		DpsExport export = DpsExportJobConfig.currentExport(this.exports,
				contribution.getStepExecution().getJobParameters());
		if (!ExportStatus.UNFINISHED.contains(export.status())) {
			log.info("Export {} is already {}", export.localId(), export.status());
			return RepeatStatus.FINISHED;
		}
		boolean nothingSent = export.rowCount() != null && export.rowCount() == 0;
		if (export.status() != ExportStatus.UPLOADED && !nothingSent) {
			throw new IllegalStateException("Export " + export.localId() + " is " + export.status()
					+ "; only an uploaded export can be marked sent");
		}
		int marked = this.exports.markSent(export.id());
		contribution.incrementWriteCount(marked);
		log.info("Export {}: {} records marked sent (MESH message {})", export.localId(), marked,
				export.meshMessageId());
		return RepeatStatus.FINISHED;
	}

}

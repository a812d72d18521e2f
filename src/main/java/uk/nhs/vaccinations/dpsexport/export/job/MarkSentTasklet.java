package uk.nhs.vaccinations.dpsexport.export.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import uk.nhs.vaccinations.dpsexport.runs.RunLease;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/**
 * Step 5: the export becomes SENT, which is what makes its records (less its rejects) count as
 * delivered at their claimed versions: one row in one transaction. Running it again changes nothing.
 */
class MarkSentTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(MarkSentTasklet.class);

	private final ExportRepository exports;

	private final RunLease lease;

	MarkSentTasklet(ExportRepository exports, RunLease lease) {
		this.exports = exports;
		this.lease = lease;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		DpsExport export = this.exports.get(ExportJob.exportId(contribution.getStepExecution().getJobExecution()));
		if (!ExportStatus.UNFINISHED.contains(export.status())) {
			log.info("Export {} is already {}", export.localId(), export.status());
			return RepeatStatus.FINISHED;
		}
		boolean nothingSent = export.rowCount() != null && export.rowCount() == 0;
		if (export.status() != ExportStatus.UPLOADED && !nothingSent) {
			throw new IllegalStateException("Export " + export.localId() + " is " + export.status()
					+ "; only an uploaded export can be marked sent");
		}
		// in the step's transaction, holding the lease row: a run that lost its lease marks nothing
		this.lease.check(contribution.getStepExecution().getJobExecution().getJobInstance().getInstanceId(),
				"marking the export sent");
		this.exports.markSent(export.id());
		// The file's rows are the export's records less its rejects: what DPS now has.
		int delivered = export.rowCount() == null ? 0 : export.rowCount();
		contribution.incrementWriteCount(delivered);
		log.info("Export {}: {} records marked sent (MESH message {})", export.localId(), delivered,
				export.meshMessageId());
		return RepeatStatus.FINISHED;
	}

}

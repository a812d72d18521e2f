package uk.nhs.vaccinations.dpsexport.export.job;

import java.nio.file.Files;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.step.StepExecution;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileWriter;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/**
 * Where the export's file stands once its records are claimed: still to be written (or written
 * again: an export reset because its sealed file was lost before any of it was sent), written
 * but not sealed, or sealed. The write and seal steps may run again after completing, so this is
 * what keeps a sealed file from ever being written twice.
 */
class FileStateDecider implements JobExecutionDecider {

	static final FlowExecutionStatus WRITE = new FlowExecutionStatus("WRITE");

	static final FlowExecutionStatus SEAL = new FlowExecutionStatus("SEAL");

	static final FlowExecutionStatus SEALED = new FlowExecutionStatus("SEALED");

	private final ExportRepository exports;

	FileStateDecider(ExportRepository exports) {
		this.exports = exports;
	}

	@Override
	public FlowExecutionStatus decide(JobExecution jobExecution, StepExecution stepExecution) {
		DpsExport export = this.exports.get(ExportJob.exportId(jobExecution));
		if (export.status() != ExportStatus.CLAIMED) {
			return SEALED;
		}
		boolean written = DpsFileWriter.summary(jobExecution.getExecutionContext(), ExportJob.FILE_WRITER)
			.isPresent() && Files.isRegularFile(export.filePath());
		return written ? SEAL : WRITE;
	}

}

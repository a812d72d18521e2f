package uk.nhs.vaccinations.dpsexport.export;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * Launches dpsExportJob once per programme with something to send, one after another. A
 * programme's failure is reported and the others still run.
 */
@Component
public class ExportLauncher {

	private static final Logger log = LoggerFactory.getLogger(ExportLauncher.class);

	public enum Outcome {

		COMPLETED, NOTHING_TO_SEND, FAILED, ALREADY_RUNNING, ALREADY_COMPLETE

	}

	public record ProgrammeResult(Programme programme, Outcome outcome, Long executionId, String detail) {
	}

	private final JobOperator jobOperator;

	private final Job dpsExportJob;

	private final ExportRepository exports;

	public ExportLauncher(JobOperator jobOperator, @Qualifier("dpsExportJob") Job dpsExportJob,
			ExportRepository exports) {
		this.jobOperator = jobOperator;
		this.dpsExportJob = dpsExportJob;
		this.exports = exports;
	}

	public List<ProgrammeResult> exportAll(LocalDate runDate, Collection<Programme> programmes) {
		List<ProgrammeResult> results = new ArrayList<>();
		for (Programme programme : programmes) {
			results.add(export(programme, runDate));
		}
		return results;
	}

	public ProgrammeResult export(Programme programme, LocalDate runDate) {
		if (this.exports.find(programme, runDate).isEmpty() && !this.exports.hasPendingRecords(programme)) {
			log.info("{} {}: nothing to send", programme.displayName(), runDate);
			return new ProgrammeResult(programme, Outcome.NOTHING_TO_SEND, null, "no records to send");
		}
		try {
			JobExecution execution = this.jobOperator.start(this.dpsExportJob,
					DpsExportJobConfig.parameters(programme, runDate));
			return result(programme, execution);
		}
		catch (JobExecutionAlreadyRunningException ex) {
			String detail = "dpsExportJob for " + programme.displayName() + " " + runDate
					+ " is already running; not started again";
			log.warn(detail);
			return new ProgrammeResult(programme, Outcome.ALREADY_RUNNING, null, detail);
		}
		catch (JobInstanceAlreadyCompleteException ex) {
			String detail = "dpsExportJob for " + programme.displayName() + " " + runDate
					+ " already completed; records changed since go in the next run date's export";
			log.info(detail);
			return new ProgrammeResult(programme, Outcome.ALREADY_COMPLETE, null, detail);
		}
		catch (Exception ex) {
			log.error("{} {}: the export could not be launched", programme.displayName(), runDate, ex);
			return new ProgrammeResult(programme, Outcome.FAILED, null, ex.getMessage());
		}
	}

	static ProgrammeResult result(Programme programme, JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			boolean empty = ClaimTasklet.NOTHING_TO_SEND.getExitCode().equals(execution.getExitStatus().getExitCode());
			return new ProgrammeResult(programme, empty ? Outcome.NOTHING_TO_SEND : Outcome.COMPLETED,
					execution.getId(), execution.getExitStatus().getExitCode());
		}
		String detail = execution.getAllFailureExceptions()
			.stream()
			.map(Throwable::getMessage)
			.findFirst()
			.orElse(execution.getExitStatus().getExitDescription());
		return new ProgrammeResult(programme, Outcome.FAILED, execution.getId(), detail);
	}

}

package uk.nhs.vaccinations.dpsexport.runs;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** How a run ended, for the exit code and the operator: the one reading of a job execution's result. */
public enum RunOutcome {

	COMPLETED, NOTHING_TO_SEND, FAILED, ALREADY_RUNNING, ALREADY_COMPLETE, DISABLED;

	/** A job that ends at once because MESH jobs are off ends with this exit code. */
	public static final String DISABLED_EXIT_CODE = "DISABLED";

	/** A dpsExportJob with no record to send ends with this exit code. */
	public static final String NOTHING_TO_SEND_EXIT_CODE = "NOTHING_TO_SEND";

	public static RunOutcome of(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			return FAILED;
		}
		return switch (execution.getExitStatus().getExitCode()) {
			case DISABLED_EXIT_CODE -> DISABLED;
			case NOTHING_TO_SEND_EXIT_CODE -> NOTHING_TO_SEND;
			default -> COMPLETED;
		};
	}

}

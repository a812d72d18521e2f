package uk.nhs.vaccinations.dpsexport.export.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/** One line when each job and step starts and ends, with the counts operators look for. */
class ProgressLogger implements JobExecutionListener, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger("dps.export.progress");

	@Override
	public void beforeJob(JobExecution execution) {
		log.info("{} execution {} started with {}", execution.getJobInstance().getJobName(), execution.getId(),
				execution.getJobParameters());
	}

	@Override
	public void afterJob(JobExecution execution) {
		log.info("{} execution {} ended {} (exit {})", execution.getJobInstance().getJobName(), execution.getId(),
				execution.getStatus(), execution.getExitStatus().getExitCode());
	}

	@Override
	public void beforeStep(StepExecution step) {
		log.info("Step {} started (execution {})", step.getStepName(), step.getId());
	}

	@Override
	public ExitStatus afterStep(StepExecution step) {
		log.info("Step {} ended {}: read {}, written {}, skipped {}, commits {}, rollbacks {}", step.getStepName(),
				step.getStatus(), step.getReadCount(), step.getWriteCount(), step.getSkipCount(),
				step.getCommitCount(), step.getRollbackCount());
		return null;
	}

}

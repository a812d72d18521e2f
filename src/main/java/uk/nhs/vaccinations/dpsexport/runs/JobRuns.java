package uk.nhs.vaccinations.dpsexport.runs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Starting and restarting job instances the way operators expect: a FAILED or STOPPED instance
 * is restarted with its own parameters; a STARTED one is left alone while its process lives
 * and recovered first when that process died (see {@link JobInstanceLock}).
 */
@Component
public class JobRuns {

	private static final Logger log = LoggerFactory.getLogger(JobRuns.class);

	/** Why an execution cannot be restarted, in words for the operator. */
	public static class NotRestartableException extends RuntimeException {

		private final boolean running;

		NotRestartableException(String message, boolean running) {
			super(message);
			this.running = running;
		}

		public boolean running() {
			return this.running;
		}

	}

	/** The execution id names no execution: the operator's input is wrong, not the job. */
	public static class UnknownExecutionException extends NotRestartableException {

		UnknownExecutionException(long executionId) {
			super("There is no job execution " + executionId + "; 'status' lists the recent ones", false);
		}

	}

	private final JobRepository repository;

	private final JobOperator operator;

	private final JobInstanceLock lock;

	private final Map<String, Job> jobs;

	public JobRuns(JobRepository repository, JobOperator operator, JobInstanceLock lock, List<Job> jobs) {
		this.repository = repository;
		this.operator = operator;
		this.lock = lock;
		this.jobs = jobs.stream().collect(Collectors.toMap(Job::getName, job -> job));
	}

	public Optional<JobExecution> lastExecution(String jobName, JobParameters parameters) {
		return Optional.ofNullable(this.repository.getLastJobExecution(jobName, parameters));
	}

	/**
	 * Makes the execution restartable: a STARTED execution of a dead process is marked FAILED
	 * (Spring Batch's recover); a live one is refused.
	 */
	public JobExecution prepareRestart(JobExecution execution) {
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			throw new NotRestartableException("Execution " + execution.getId() + " of "
					+ execution.getJobInstance().getJobName() + " completed; there is nothing to restart", false);
		}
		if (execution.getStatus() == BatchStatus.ABANDONED) {
			throw new NotRestartableException("Execution " + execution.getId() + " was abandoned by an operator", false);
		}
		if (execution.isRunning()) {
			if (this.lock.isHeld(execution.getJobInstance())) {
				throw new NotRestartableException("Execution " + execution.getId() + " of "
						+ execution.getJobInstance().getJobName() + " is already running (its process holds the run lock)", true);
			}
			log.warn("Execution {} of {} is marked {} but its process is gone (it was killed or lost its database "
					+ "connection); recovering it as FAILED before restarting", execution.getId(),
					execution.getJobInstance().getJobName(), execution.getStatus());
			return this.operator.recover(execution);
		}
		return execution;
	}

	public JobExecution restart(long executionId) throws Exception {
		JobExecution execution;
		try {
			execution = this.repository.getJobExecution(executionId);
		}
		catch (RuntimeException notFound) {
			execution = null;
		}
		if (execution == null) {
			throw new UnknownExecutionException(executionId);
		}
		JobExecution latest = this.repository.getLastJobExecution(execution.getJobInstance());
		if (latest != null && latest.getId() != executionId) {
			throw new NotRestartableException("Execution " + executionId + " is not the latest of its instance; "
					+ "restart execution " + latest.getId() + " instead", false);
		}
		prepareRestart(execution);
		String jobName = execution.getJobInstance().getJobName();
		log.info("Restarting {} execution {} with its own parameters {}", jobName, executionId,
				execution.getJobParameters());
		Job job = this.jobs.get(jobName);
		if (job == null) {
			throw new NotRestartableException("This application has no job called " + jobName, false);
		}
		// Starting an unfinished instance with its own identifying parameters restarts it.
		return this.operator.start(job, execution.getJobParameters());
	}

	public JobInstance instance(String jobName, JobParameters parameters) {
		return this.repository.getJobInstance(jobName, parameters);
	}

}

package uk.nhs.vaccinations.dpsexport.runs;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Starting and restarting job instances the way operators expect: a FAILED or STOPPED instance
 * is restarted with its own parameters; a STARTED one is left alone while its process lives
 * and recovered first when that process died (see {@link RunLease}).
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

	private final RunLease lease;

	private final JdbcClient jdbc;

	private final Map<String, Job> jobs;

	public JobRuns(JobRepository repository, JobOperator operator, RunLease lease, JdbcClient jdbc, List<Job> jobs) {
		this.repository = repository;
		this.operator = operator;
		this.lease = lease;
		this.jdbc = jdbc;
		this.jobs = jobs.stream().collect(Collectors.toMap(Job::getName, job -> job));
	}

	/**
	 * Starts (or, for an unfinished instance, restarts) a job and waits for it. Its run lease is
	 * released only here, once the execution's final status is saved: until then no other process
	 * can take the execution for one that died.
	 */
	public JobExecution start(Job job, JobParameters parameters) throws Exception {
		forgetInstanceWithoutExecutions(job.getName(), parameters);
		JobExecution execution = this.operator.start(job, parameters);
		this.lease.release(execution.getJobInstance().getInstanceId());
		return execution;
	}

	/**
	 * A process killed between creating a job instance and its first execution leaves an instance
	 * Spring Batch can neither start again nor restart. Nothing ever ran for it, so it is removed
	 * and the job starts afresh.
	 */
	void forgetInstanceWithoutExecutions(String jobName, JobParameters parameters) {
		JobInstance instance = this.repository.getJobInstance(jobName, parameters);
		if (instance != null && this.repository.getLastJobExecution(instance) == null) {
			int removed = this.jdbc.sql("""
					DELETE FROM batch_job_instance i WHERE i.job_instance_id = :id
					AND NOT EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id)""")
				.param("id", instance.getInstanceId())
				.update();
			if (removed == 1) {
				log.warn("{} instance {} had no execution (its process was killed as it started); removed, so it "
						+ "starts afresh", jobName, instance.getInstanceId());
			}
		}
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
		JobExecution fresh = this.repository.getJobExecution(execution.getId());
		boolean stepsUnfinished = fresh.getStepExecutions().stream().anyMatch(JobRuns::unfinished);
		if (!fresh.isRunning() && fresh.getStatus() != BatchStatus.UNKNOWN && !stepsUnfinished) {
			return fresh;
		}
		long instance = fresh.getJobInstance().getInstanceId();
		if (this.lease.isHeld(instance)) {
			throw new NotRestartableException("Execution " + fresh.getId() + " of " + fresh.getJobInstance().getJobName()
					+ " is still running: " + this.lease.describe(instance).orElse("its lease is held"), true);
		}
		log.warn("Execution {} of {} is marked {} (steps unfinished: {}) but no process holds its lease (it was killed, "
				+ "or the database failed under it); recovering it as FAILED before restarting", fresh.getId(),
				fresh.getJobInstance().getJobName(), fresh.getStatus(), stepsUnfinished);
		return recover(fresh);
	}

	private static boolean unfinished(StepExecution step) {
		return step.getStatus().isRunning() || step.getStatus() == BatchStatus.UNKNOWN;
	}

	/** Marks what a dead process left unfinished FAILED, steps first, so Spring Batch will restart it. */
	private JobExecution recover(JobExecution execution) {
		LocalDateTime now = LocalDateTime.now();
		for (StepExecution step : execution.getStepExecutions()) {
			if (unfinished(step)) {
				step.setStatus(BatchStatus.FAILED);
				step.setExitStatus(ExitStatus.FAILED.addExitDescription("recovered: its process was gone"));
				step.setEndTime(now);
				this.repository.update(step);
			}
		}
		if (execution.isRunning() || execution.getStatus() == BatchStatus.UNKNOWN) {
			execution.setStatus(BatchStatus.FAILED);
			execution.setExitStatus(ExitStatus.FAILED.addExitDescription("recovered: its process was gone"));
			execution.setEndTime(now);
			this.repository.update(execution);
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
		return start(job, execution.getJobParameters());
	}

	public JobInstance instance(String jobName, JobParameters parameters) {
		return this.repository.getJobInstance(jobName, parameters);
	}

}

package uk.nhs.vaccinations.dpsexport.runs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;

/**
 * The first element of every MESH job: with {@code mesh.jobs-enabled} off the job ends at once
 * with exit status DISABLED, saying so in one line, and never touches MESH.
 */
@Component
public class MeshJobsGate implements JobExecutionDecider {

	public static final String DISABLED = RunOutcome.DISABLED_EXIT_CODE;

	private static final Logger log = LoggerFactory.getLogger(MeshJobsGate.class);

	private final MeshProperties properties;

	public MeshJobsGate(MeshProperties properties) {
		this.properties = properties;
	}

	public boolean enabled() {
		return this.properties.jobsEnabled();
	}

	public static String disabledMessage(String what) {
		return "MESH jobs are disabled (mesh.jobs-enabled=false, env MESH_JOBS_ENABLED): " + what + " did nothing";
	}

	/** A MESH job of one step behind this gate, with the run lock as its listener. */
	public Job gatedJob(String name, JobRepository jobRepository, JobExecutionListener runLock, Step step) {
		return new JobBuilder(name, jobRepository).listener(runLock)
			// keyed by their start time
			.validator(ExactJobParameters.of(name, "run.at"))
			.start(this)
			.on(DISABLED)
			.end(DISABLED)
			.from(this)
			.on("*")
			.to(step)
			.end()
			.build();
	}

	@Override
	public FlowExecutionStatus decide(JobExecution jobExecution, StepExecution stepExecution) {
		if (!enabled()) {
			log.warn(disabledMessage(jobExecution.getJobInstance().getJobName()));
			return new FlowExecutionStatus(DISABLED);
		}
		return new FlowExecutionStatus("ENABLED");
	}

}

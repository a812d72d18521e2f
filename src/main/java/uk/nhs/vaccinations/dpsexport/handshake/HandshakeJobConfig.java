package uk.nhs.vaccinations.dpsexport.handshake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.runs.MeshJobsGate;
import uk.nhs.vaccinations.dpsexport.runs.RunLease;

/** meshValidateMailboxJob: the MESH handshake, which a mailbox needs at least once every 24 hours. */
@Configuration(proxyBeanMethods = false)
public class HandshakeJobConfig {

	public static final String JOB_NAME = "meshValidateMailboxJob";

	private static final Logger log = LoggerFactory.getLogger(HandshakeJobConfig.class);

	@Bean
	Job meshValidateMailboxJob(JobRepository jobRepository, MeshJobsGate gate, RunLease runLease,
			ObjectProvider<MeshClient> meshClient) {
		// no database transaction held open while MESH answers: each write is a statement of its own
		var handshake = new StepBuilder("handshake", jobRepository).tasklet((contribution, chunkContext) -> {
			String mailbox = meshClient.getObject().handshake();
			contribution.getStepExecution().getExecutionContext().putString("mailboxId", mailbox);
			log.info("MESH mailbox {} validated", mailbox);
			return RepeatStatus.FINISHED;
		}, new ResourcelessTransactionManager()).build();
		return gate.gatedJob(JOB_NAME, jobRepository, runLease, handshake);
	}

}

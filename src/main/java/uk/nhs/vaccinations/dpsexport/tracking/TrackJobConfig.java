package uk.nhs.vaccinations.dpsexport.tracking;

import java.util.Locale;

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

import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.mesh.MeshException;
import uk.nhs.vaccinations.dpsexport.runs.MeshJobsGate;
import uk.nhs.vaccinations.dpsexport.runs.RunLease;

/**
 * dpsTrackJob: asks MESH what became of each SENT export and records ACKNOWLEDGED (DPS
 * downloaded it) or UNDELIVERABLE (it expired unread, or MESH reports an error), with the time.
 * One export's failure does not stop the others being tracked; the step fails at the end.
 */
@Configuration(proxyBeanMethods = false)
public class TrackJobConfig {

	public static final String JOB_NAME = "dpsTrackJob";

	private static final Logger log = LoggerFactory.getLogger(TrackJobConfig.class);

	@Bean
	Job dpsTrackJob(JobRepository jobRepository, MeshJobsGate gate,
			RunLease runLease, ObjectProvider<MeshClient> meshClient, ExportRepository exports) {
		// no database transaction held open while MESH answers: each write is a statement of its own
		var track = new StepBuilder("track", jobRepository).tasklet((contribution, chunkContext) -> {
			MeshClient client = meshClient.getObject();
			int failures = 0;
			for (DpsExport export : exports.awaitingDelivery()) {
				contribution.incrementReadCount();
				try {
					String status = client.track(export.meshMessageId()).status();
					ExportStatus next = switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
						case "acknowledged" -> ExportStatus.ACKNOWLEDGED;
						case "undeliverable", "error" -> ExportStatus.UNDELIVERABLE;
						default -> ExportStatus.SENT;
					};
					exports.recordTracking(export.id(), status, next);
					if (next != ExportStatus.SENT) {
						contribution.incrementWriteCount(1);
					}
					log.info("Export {} ({}): MESH message {} is {}", export.localId(), export.fileName(),
							export.meshMessageId(), status);
				}
				catch (MeshException ex) {
					failures++;
					log.error("Tracking export {} (MESH message {}) failed: {}", export.localId(),
							export.meshMessageId(), ex.getMessage());
				}
			}
			if (failures > 0) {
				throw new IllegalStateException(failures + " export(s) could not be tracked; see the log above");
			}
			return RepeatStatus.FINISHED;
		}, new ResourcelessTransactionManager()).build();
		return gate.gatedJob(JOB_NAME, jobRepository, runLease, track);
	}

}

package uk.nhs.vaccinations.dpsexport.export.job;

import java.time.LocalDate;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With mesh.jobs-enabled off nothing touches MESH, and every job says so once. */
@PostgresTest
@TestPropertySource(properties = "mesh.jobs-enabled=false")
@ExtendWith(OutputCaptureExtension.class)
class MeshJobsDisabledTest {

	@Autowired
	ExportLauncher launcher;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	@Qualifier("dpsExportJob")
	Job exportJob;

	@Autowired
	@Qualifier("meshValidateMailboxJob")
	Job handshakeJob;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@org.junit.jupiter.api.BeforeEach
	void reset() {
		new uk.nhs.vaccinations.dpsexport.support.TestData(this.jdbc).reset();
	}

	@Test
	void exportDoesNothingAndCreatesNoJobInstance(CapturedOutput output) {
		var results = this.launcher.exportAll(LocalDate.of(2026, 11, 24), EnumSet.allOf(Programme.class));

		assertThat(results).extracting(ExportLauncher.ProgrammeResult::outcome).containsOnly(RunOutcome.DISABLED);
		assertThat(output.getAll()).containsOnlyOnce("MESH jobs are disabled (mesh.jobs-enabled=false");
		assertThat(this.jdbc.sql("SELECT count(*) FROM batch_job_instance").query(Long.class).single()).isZero();
		assertThat(this.context.getBeanProvider(MeshClient.class).getIfAvailable()).isNull();
	}

	@Test
	void jobsLaunchedDirectlyEndDisabledWithoutRunningASingleStep() throws Exception {
		JobExecution export = this.jobOperator.start(this.exportJob,
				ExportJob.parameters(Programme.HPV, LocalDate.of(2026, 11, 24)));
		JobExecution handshake = this.jobOperator.start(this.handshakeJob,
				new org.springframework.batch.core.job.parameters.JobParametersBuilder().addLocalDateTime("run.at", java.time.LocalDateTime.of(2026, 11, 24, 6, 15))
					.toJobParameters());

		for (JobExecution execution : new JobExecution[] { export, handshake }) {
			assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
			assertThat(execution.getExitStatus().getExitCode()).isEqualTo("DISABLED");
			assertThat(execution.getStepExecutions()).isEmpty();
		}
	}

}

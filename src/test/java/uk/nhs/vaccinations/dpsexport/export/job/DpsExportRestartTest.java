package uk.nhs.vaccinations.dpsexport.export.job;

import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.dps.DpsRow;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.dps.VaccinationEvent;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/** Failure mid-file and restart; a second launch while one runs. */
@PostgresTest
@TestPropertySource(properties = { "dps.output-dir=target/test-dps-files/DpsExportRestartTest", "dps.chunk-size=100" })
class DpsExportRestartTest {

	static final LocalDate RUN_DATE = LocalDate.of(2026, 11, 24);

	@Autowired
	JobOperator jobOperator;

	@Autowired
	Job dpsExportJob;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ExportRepository exports;

	@Autowired
	ExportLauncher launcher;

	@Autowired
	FaultInjector faults;

	List<String> uuids = new ArrayList<>();

	@BeforeEach
	void setUp() {
		TestData data = new TestData(this.jdbc);
		data.reset();
		this.faults.reset();
		long session = data.session(data.organisation("R1L"), data.school("123456"), "hpv");
		long patient = data.patient();
		for (int i = 0; i < 2_500; i++) {
			this.uuids.add(data.uuid(data.record(patient, session, "gardasil_9").insert()).toString());
		}
	}

	@Test
	void aFailureMidFileThenARestartGivesEveryClaimedRecordExactlyOnce() throws Exception {
		this.faults.failAtItem.set(1_234);

		JobExecution failed = run();

		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		DpsExport export = this.exports.find(Programme.HPV, RUN_DATE).orElseThrow();
		assertThat(export.status()).isEqualTo(ExportStatus.CLAIMED);
		// Twelve chunks of 100 committed before the failure; the file holds exactly those.
		assertThat(Files.readAllLines(export.filePath())).hasSize(1 + 1_200);

		JobExecution restarted = run();

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		// The restart resumed after the last commit instead of reading everything again.
		assertThat(DpsExportJobTest.step(restarted, "write").getReadCount()).isEqualTo(1_300);
		// the claim runs again only to hand the same export on: it claims nothing new
		assertThat(restarted.getStepExecutions()).extracting(s -> s.getStepName())
			.containsExactly("claim", "write", "seal", "upload", "mark");
		assertThat(restarted.getExecutionContext().getLong(ExportJob.EXPORT_ID)).isEqualTo(export.id());
		assertThat(this.exports.get(export.id()).claimedCount()).isEqualTo(export.claimedCount());
		List<Map<String, String>> rows = DpsFiles.read(export.filePath());
		assertThat(rows).extracting(r -> r.get("UNIQUE_ID")).containsExactlyInAnyOrderElementsOf(this.uuids);
		assertThat(rows).extracting(r -> r.get("UNIQUE_ID")).doesNotHaveDuplicates();
		DpsExport sent = this.exports.get(export.id());
		assertThat(sent.status()).isEqualTo(ExportStatus.SENT);
		assertThat(DpsFiles.parse(new java.io.StringReader(new String(DpsExportJobTest.delivered(sent).payload(),
				java.nio.charset.StandardCharsets.UTF_8)))).extracting(r -> r.get("UNIQUE_ID"))
			.containsExactlyInAnyOrderElementsOf(this.uuids);
	}

	@Test
	void aSecondLaunchWhileOneIsRunningIsRefused() throws Exception {
		this.faults.pauseFirstItem();
		CompletableFuture<JobExecution> first = CompletableFuture.supplyAsync(() -> {
			try {
				return run();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(this.faults.paused.await(30, TimeUnit.SECONDS)).as("first run reached the write step").isTrue();

		assertThatThrownBy(this::run).isInstanceOf(JobExecutionAlreadyRunningException.class);
		ExportLauncher.ProgrammeResult viaCommand = this.launcher.export(Programme.HPV, RUN_DATE);
		assertThat(viaCommand.outcome()).isEqualTo(RunOutcome.ALREADY_RUNNING);
		assertThat(viaCommand.detail()).contains("is still running").contains("holds its lease until");

		this.faults.release.countDown();
		assertThat(first.get(60, TimeUnit.SECONDS).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		DpsExport export = this.exports.find(Programme.HPV, RUN_DATE).orElseThrow();
		assertThat(DpsFiles.read(export.filePath())).hasSize(2_500);
	}

	private JobExecution run() throws Exception {
		return this.jobOperator.start(this.dpsExportJob, ExportJob.parameters(Programme.HPV, RUN_DATE));
	}

	/** Wraps the row processor so a test can make it fail or pause at a chosen item. */
	static class FaultInjector {

		final AtomicInteger failAtItem = new AtomicInteger(-1);

		final AtomicInteger seen = new AtomicInteger();

		volatile boolean pause;

		volatile CountDownLatch paused = new CountDownLatch(1);

		volatile CountDownLatch release = new CountDownLatch(1);

		void reset() {
			this.failAtItem.set(-1);
			this.seen.set(0);
			this.pause = false;
			this.paused = new CountDownLatch(1);
			this.release = new CountDownLatch(1);
		}

		void pauseFirstItem() {
			this.pause = true;
		}

		ItemProcessor<VaccinationEvent, DpsRow> wrap(ItemProcessor<VaccinationEvent, DpsRow> delegate) {
			return item -> {
				int n = this.seen.incrementAndGet();
				if (n == this.failAtItem.get()) {
					this.failAtItem.set(-1);
					throw new IllegalStateException("Injected failure at item " + n);
				}
				if (this.pause) {
					this.pause = false;
					this.paused.countDown();
					this.release.await(60, TimeUnit.SECONDS);
				}
				return delegate.process(item);
			};
		}

	}

	@TestConfiguration
	static class Faults {

		@Bean
		FaultInjector faultInjector() {
			return new FaultInjector();
		}

		@Bean
		static BeanPostProcessor wrapRowProcessor(org.springframework.beans.factory.ObjectProvider<FaultInjector> injector) {
			return new BeanPostProcessor() {
				@Override
				@SuppressWarnings("unchecked")
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (beanName.equals("dpsRowProcessor")) {
						return injector.getObject().wrap((ItemProcessor<VaccinationEvent, DpsRow>) bean);
					}
					return bean;
				}
			};
		}

	}

}

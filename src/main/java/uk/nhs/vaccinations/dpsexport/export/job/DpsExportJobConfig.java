package uk.nhs.vaccinations.dpsexport.export.job;

import java.time.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.listener.ExecutionContextPromotionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.LimitCheckingExceptionHierarchySkipPolicy;
import org.springframework.batch.core.step.skip.NeverSkipItemSkipPolicy;
import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileWriter;
import uk.nhs.vaccinations.dpsexport.dps.DpsRow;
import uk.nhs.vaccinations.dpsexport.dps.DpsRowMapper;
import uk.nhs.vaccinations.dpsexport.dps.DpsRowRules;
import uk.nhs.vaccinations.dpsexport.dps.UnmappableRecordException;
import uk.nhs.vaccinations.dpsexport.dps.VaccinationEvent;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.runs.MeshJobsGate;
import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;
import uk.nhs.vaccinations.dpsexport.runs.ExactJobParameters;
import uk.nhs.vaccinations.dpsexport.runs.RunLease;
import uk.nhs.vaccinations.dpsexport.export.read.ClaimedRecordReader;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;

/**
 * dpsExportJob: one instance per programme and run date (both identifying parameters).
 * gate -> claim -> write (chunk: claimed rows -> DPS rows -> file) -> seal -> upload to MESH -> mark sent.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExportProperties.class)
public class DpsExportJobConfig {

	@Bean
	Job dpsExportJob(JobRepository jobRepository, MeshJobsGate gate, RunLease runLease, ExportRepository exports,
			Step dpsClaimStep, Step dpsWriteStep, Step dpsSealStep, Step dpsUploadStep, Step dpsMarkStep) {
		FileStateDecider fileState = new FileStateDecider(exports);
		return new JobBuilder(ExportJob.NAME, jobRepository)
			.validator(ExactJobParameters.of(ExportJob.NAME, ExportJob.PROGRAMME, ExportJob.RUN_DATE))
			.listener(runLease)
			.listener(new ProgressLogger())
			.start(gate)
			.on(MeshJobsGate.DISABLED)
			.end(MeshJobsGate.DISABLED)
			.from(gate)
			.on("*")
			.to(dpsClaimStep)
			.from(dpsClaimStep)
			.on(ClaimTasklet.NOTHING_TO_SEND.getExitCode())
			.end(ClaimTasklet.NOTHING_TO_SEND.getExitCode())
			.from(dpsClaimStep)
			.on("FAILED")
			.fail()
			.from(dpsClaimStep)
			.on("*")
			.to(fileState)
			.on(FileStateDecider.WRITE.getName())
			.to(dpsWriteStep)
			.next(dpsSealStep)
			.next(dpsUploadStep)
			.next(dpsMarkStep)
			.from(fileState)
			.on(FileStateDecider.SEAL.getName())
			.to(dpsSealStep)
			.from(fileState)
			.on(FileStateDecider.SEALED.getName())
			.to(dpsUploadStep)
			.end()
			.build();
	}

	/**
	 * For the upload, which waits on MESH: a pooled connection held idle in a transaction for minutes
	 * is what a DBA's idle_in_transaction_session_timeout kills. Its database writes are single
	 * statements or short transactions of their own.
	 */
	static final PlatformTransactionManager NO_DATABASE_TRANSACTION = new ResourcelessTransactionManager();

	/** The time export names are made from and DPS's "not in the future" is judged against. */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	Step dpsClaimStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ExportRepository exports, ExportSelection selection, ExportProperties properties, Clock clock,
			ClaimTurns turns) {
		return new StepBuilder(ExportJob.CLAIM, jobRepository)
			.tasklet(new ClaimTasklet(exports, selection, properties, clock), transactionManager)
			// runs on every restart too: it finds the export it created and hands it on again, so
			// the later steps never depend on a job context saved before a crash
			.allowStartIfComplete(true)
			.listener(new ProgressLogger())
			.listener(turns)
			.listener(promotion(ExportJob.EXPORT_ID, ExportJob.FILE_PATH, ExportJob.CLAIMED_COUNT))
			.build();
	}

	/**
	 * Job-scoped, so that each programme's execution gets a step of its own with a plain reader. A
	 * step-scoped reader bean would be a proxy that looks its target up on every read: 883k lookups per
	 * national run, about 0.5 CPU s, and the lookup path was among the largest methods the JIT
	 * compiled while the export ran. The writer is called once a chunk, so it stays a step-scoped
	 * bean. The step is built when the job starts, before the claim step creates the export, so the
	 * reader takes the export from the job's context when the step starts.
	 */
	@Bean
	@JobScope
	Step dpsWriteStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			DataSource dataSource, JdbcClient jdbc, ItemProcessor<VaccinationEvent, DpsRow> dpsRowProcessor,
			DpsFileWriter dpsFileWriter, ExportRepository exports, ExportProperties properties) {
		SkipPolicy skipPolicy = properties.skipLimit() == 0 ? new NeverSkipItemSkipPolicy()
				: new LimitCheckingExceptionHierarchySkipPolicy(Set.of(UnmappableRecordException.class),
						properties.skipLimit());
		ClaimedRecordReader claimedRecords = new ClaimedRecordReader(dataSource, jdbc, ExportJob.EXPORT_ID);
		return new StepBuilder(ExportJob.WRITE, jobRepository).<VaccinationEvent, DpsRow>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			// runs again (from scratch) only when the file state says so: a reset export's lost file
			.allowStartIfComplete(true)
			.reader(claimedRecords)
			.processor(dpsRowProcessor)
			.writer(dpsFileWriter)
			.faultTolerant()
			.skipPolicy(skipPolicy)
			.skipListener(new RejectRecorder(exports))
			.listener((StepExecutionListener) claimedRecords)
			.listener(new ProgressLogger())
			.listener(new WriteProgress())
			// what the writer committed (size, line feeds, SHA-256), for the seal step
			.listener(promotion(DpsFileWriter.keys(ExportJob.FILE_WRITER)))
			.build();
	}

	/** Hands a step's keys to the later steps through the job's context when the step completes. */
	private static ExecutionContextPromotionListener promotion(String... keys) {
		ExecutionContextPromotionListener promotion = new ExecutionContextPromotionListener();
		promotion.setKeys(keys);
		return promotion;
	}

	@Bean
	Step dpsSealStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ExportRepository exports) {
		return new StepBuilder(ExportJob.SEAL, jobRepository).tasklet(new SealFileTasklet(exports), transactionManager)
			.allowStartIfComplete(true)
			.listener(new ProgressLogger())
			.build();
	}

	@Bean
	Step dpsUploadStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ExportRepository exports, ObjectProvider<MeshClient> meshClient, MeshProperties meshProperties,
			ExportProperties properties, RunLease runLease) {
		TransactionTemplate ownTransaction = new TransactionTemplate(transactionManager);
		ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return new StepBuilder(ExportJob.UPLOAD, jobRepository)
			.tasklet(new UploadTasklet(exports, meshClient::getObject, meshProperties,
					properties.supplierOdsCode(), ownTransaction, runLease), NO_DATABASE_TRANSACTION)
			.listener(new ProgressLogger())
			.build();
	}

	@Bean
	Step dpsMarkStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ExportRepository exports, RunLease runLease) {
		return new StepBuilder(ExportJob.MARK, jobRepository).tasklet(new MarkSentTasklet(exports, runLease), transactionManager)
			.listener(new ProgressLogger())
			.build();
	}

	@Bean
	DpsRowMapper dpsRowMapper(ExportProperties properties) {
		return new DpsRowMapper(properties.uniqueIdUri());
	}

	/** A record's DPS row, or a reject when DPS's own checks would fail the row. */
	@Bean
	ItemProcessor<VaccinationEvent, DpsRow> dpsRowProcessor(DpsRowMapper dpsRowMapper, Clock clock) {
		DpsRowRules rules = new DpsRowRules(clock);
		return event -> {
			if (event.uuid() == null) {
				throw new UnmappableRecordException(null, null, "vaccination record " + event.recordId()
						+ " was deleted from vaccination_records after it was claimed; there is nothing to send");
			}
			DpsRow row;
			try {
				row = dpsRowMapper.map(event);
			}
			catch (UnmappableRecordException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				// one record the mapper cannot handle is that record's reject, never the whole file's failure
				throw new UnmappableRecordException(event.uuid(), null,
						"could not be made into a DPS row: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
			}
			List<DpsRowRules.Violation> violations = rules.check(row.fields());
			if (!violations.isEmpty()) {
				throw new UnmappableRecordException(event.uuid(), violations);
			}
			return row;
		};
	}

	/** The export's file: restartable, truncated to the last committed chunk on a restart. */
	@Bean
	@StepScope
	DpsFileWriter dpsFileWriter(@Value("#{jobExecutionContext['" + ExportJob.FILE_PATH + "']}") String filePath) {
		return new DpsFileWriter(ExportJob.FILE_WRITER, Path.of(filePath));
	}

}

package uk.nhs.vaccinations.dpsexport.export.job;

import java.time.LocalDate;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * The names dpsExportJob's configuration, its steps and its operators share: the job, its
 * parameters, its steps, and what the claim step hands the later steps in the job's execution
 * context. In one place, so a name cannot be spelled two ways.
 */
public final class ExportJob {

	public static final String NAME = "dpsExportJob";

	/** Identifying parameters: one instance per programme and run date. */
	public static final String PROGRAMME = "programme";

	public static final String RUN_DATE = "runDate";

	static final String CLAIM = "claim";

	static final String WRITE = "write";

	static final String SEAL = "seal";

	static final String UPLOAD = "upload";

	static final String MARK = "mark";

	/** Job context: the export the claim step created (or found, on a restart). */
	static final String EXPORT_ID = "dps.export.id";

	/** Job context: where the export's file is written. */
	static final String FILE_PATH = "dps.export.filePath";

	/** Job context: how many records the export carries, for progress lines. */
	static final String CLAIMED_COUNT = "dps.export.claimedCount";

	/** The file writer's name: the prefix of its keys in the write step's and (promoted) the job's context. */
	static final String FILE_WRITER = "dpsFileWriter";

	public static JobParameters parameters(Programme programme, LocalDate runDate) {
		return new JobParametersBuilder().addString(PROGRAMME, programme.type(), true)
			.addLocalDate(RUN_DATE, runDate, true)
			.toJobParameters();
	}

	static Programme programme(JobParameters parameters) {
		return Programme.parse(parameters.getString(PROGRAMME));
	}

	static LocalDate runDate(JobParameters parameters) {
		return parameters.getLocalDate(RUN_DATE);
	}

	/** The running instance's export, as the claim step put it in the job's context. */
	static long exportId(JobExecution job) {
		ExecutionContext context = job.getExecutionContext();
		if (!context.containsKey(EXPORT_ID)) {
			throw new IllegalStateException("The job's context has no " + EXPORT_ID + "; the claim step puts it there");
		}
		return context.getLong(EXPORT_ID);
	}

	private ExportJob() {
	}

}

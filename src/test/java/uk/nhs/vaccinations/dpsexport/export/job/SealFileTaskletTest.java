package uk.nhs.vaccinations.dpsexport.export.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileFormat;
import uk.nhs.vaccinations.dpsexport.dps.DpsFileWriter;
import uk.nhs.vaccinations.dpsexport.dps.DpsRow;
import uk.nhs.vaccinations.dpsexport.dps.FileSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealFileTaskletTest {

	@TempDir
	Path dir;

	@Test
	void aFileWrittenByThisExecutionIsSealedWithItsWritersSummaryOnceItsSizeAgrees() throws Exception {
		Path file = this.dir.resolve("f.csv");
		JobExecution execution = execution(written(file), true);

		assertThat(SealFileTasklet.summary(file, execution)).isEqualTo(FileSummary.of(file));

		Files.writeString(file, "\"one more\"\n", StandardOpenOption.APPEND);
		assertThatThrownBy(() -> SealFileTasklet.summary(file, execution)).hasMessageContaining(file.toString())
			.hasMessageContaining("but its writer wrote");
	}

	@Test
	void aFileWrittenByAnEarlierExecutionIsReadAgainAndMustStillHashAsWritten() throws Exception {
		Path file = this.dir.resolve("f.csv");
		JobExecution restart = execution(written(file), false);

		assertThat(SealFileTasklet.summary(file, restart)).isEqualTo(FileSummary.of(file));

		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length - 3] ^= 1;
		Files.write(file, bytes);
		assertThatThrownBy(() -> SealFileTasklet.summary(file, restart)).hasMessageContaining(file.toString())
			.hasMessageContaining("changed since it was written");
	}

	/** A file of a header and two rows, and what its writer committed, as the job's context holds it. */
	private static ExecutionContext written(Path file) throws Exception {
		ExecutionContext step = new ExecutionContext();
		DpsFileWriter writer = new DpsFileWriter(ExportJob.FILE_WRITER, file);
		writer.open(step);
		writer.write(Chunk.of(row("a"), row("b")));
		writer.update(step);
		writer.close();
		ExecutionContext job = new ExecutionContext();
		for (String key : DpsFileWriter.keys(ExportJob.FILE_WRITER)) {
			job.put(key, step.get(key));
		}
		return job;
	}

	private static DpsRow row(String value) {
		String[] fields = new String[DpsFileFormat.COLUMNS.size()];
		Arrays.fill(fields, value);
		return new DpsRow(UUID.randomUUID(), fields);
	}

	private static JobExecution execution(ExecutionContext jobContext, boolean wroteTheFile) {
		JobExecution execution = MetaDataInstanceFactory.createJobExecution(ExportJob.NAME, 1L, 2L);
		execution.setExecutionContext(jobContext);
		if (wroteTheFile) {
			StepExecution write = MetaDataInstanceFactory.createStepExecution(execution, ExportJob.WRITE, 3L);
			write.setStatus(BatchStatus.COMPLETED);
			execution.addStepExecution(write);
		}
		return execution;
	}

}

package uk.nhs.vaccinations.dpsexport.export.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileFormat;
import uk.nhs.vaccinations.dpsexport.dps.DpsRow;
import uk.nhs.vaccinations.dpsexport.dps.Programme;

/** A line every ten seconds of writing: how far, how fast, how long is left. */
@ExtendWith(OutputCaptureExtension.class)
class WriteProgressTest {

	@Test
	void saysHowFarHowFastAndHowLongIsLeftEveryTenSeconds(CapturedOutput output) {
		AtomicLong now = new AtomicLong();
		WriteProgress progress = new WriteProgress(now::get);
		JobExecution job = MetaDataInstanceFactory.createJobExecution(ExportJob.NAME, 1L, 1L,
				ExportJob.parameters(Programme.HPV, LocalDate.of(2026, 11, 24)));
		job.getExecutionContext().putLong(ExportJob.CLAIMED_COUNT, 10_000);
		progress.beforeStep(MetaDataInstanceFactory.createStepExecution(job, ExportJob.WRITE, 2L));

		progress.afterWrite(rows(2_000));
		now.set(5_000_000_000L);
		progress.afterWrite(rows(2_000));
		assertThat(output.getAll()).doesNotContain("claimed records written");

		now.set(10_000_000_000L);
		progress.afterWrite(rows(2_000));

		assertThat(output.getAll()).contains("HPV: 6000 of 10000 claimed records written (600 a second), about 7 s left");
	}

	private static Chunk<DpsRow> rows(int n) {
		Chunk<DpsRow> chunk = new Chunk<>();
		for (int i = 0; i < n; i++) {
			chunk.add(new DpsRow(null, new String[DpsFileFormat.COLUMNS.size()]));
		}
		return chunk;
	}

}

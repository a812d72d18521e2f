package uk.nhs.vaccinations.dpsexport.export.job;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExportFailureDetailTest {

	@Test
	void theMessageThatCarriesTheRootCauseWinsOverSpringBatchsWrapper() {
		Exception failure = new RuntimeException("Unable to process chunk",
				new IOException("Could not write DPS file /data/HPV.csv: No space left on device",
						new IOException("No space left on device")));

		assertThat(ExportLauncher.telling(failure))
			.isEqualTo("Could not write DPS file /data/HPV.csv: No space left on device");
	}

	@Test
	void aPlainFailureKeepsItsOwnMessage() {
		assertThat(ExportLauncher.telling(new IllegalStateException("Export X has not been sealed")))
			.isEqualTo("Export X has not been sealed");
	}

}

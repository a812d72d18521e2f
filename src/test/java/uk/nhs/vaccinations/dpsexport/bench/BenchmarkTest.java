package uk.nhs.vaccinations.dpsexport.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchmarkTest {

	@Test
	void theMedianOfRepeatedRatiosIsTheMiddleOneOrTheMeanOfTheMiddleTwo() {
		assertThat(Benchmark.median(List.of(1.9, 1.4, 1.6))).isEqualTo(1.6);
		assertThat(Benchmark.median(List.of(1.9, 1.4, 1.6, 1.5))).isCloseTo(1.55, within(1e-9));
		assertThat(Benchmark.median(List.of(2.0))).isEqualTo(2.0);
	}

	@Test
	void postgresProcessesAreCountedByWhatTheirTitleSaysTheyAreDoing() {
		assertThat(PostgresCpu.activity("postgres: dps_export dps 127.0.0.1(51234) COPY")).isEqualTo("reader COPY");
		assertThat(PostgresCpu.activity("postgres: dps_export dps [local] SELECT")).isEqualTo("claims and queries");
		assertThat(PostgresCpu.activity("postgres: dps_export dps 127.0.0.1(51234) idle in transaction")).isEqualTo("other");
		assertThat(PostgresCpu.activity("postgres: dps_export dps 127.0.0.1(51234) UPDATE")).isEqualTo("other");
		assertThat(PostgresCpu.activity("postgres: walwriter")).isEqualTo("background");
		assertThat(PostgresCpu.activity("postgres: autovacuum worker dps")).isEqualTo("background");
		assertThat(PostgresCpu.activity("postgres: io worker 0")).isEqualTo("background");
	}

}

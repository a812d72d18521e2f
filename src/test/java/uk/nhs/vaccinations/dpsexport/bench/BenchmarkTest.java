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

}

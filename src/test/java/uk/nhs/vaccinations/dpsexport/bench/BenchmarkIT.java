package uk.nhs.vaccinations.dpsexport.bench;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark still runs end to end (small N); its speed is printed by scripts/bench, never asserted. */
class BenchmarkIT {

	@Test
	void theBenchmarkRunsOnASmallN() throws Exception {
		List<Benchmark.Figures> figures = Benchmark.run(List.of(2_000), Path.of("target", "bench-it"));

		assertThat(figures).singleElement().satisfies(f -> {
			assertThat(f.exitCode()).isZero();
			assertThat(f.rows()).isGreaterThan(1_500);
			assertThat(f.baselineGzipBytes()).isPositive();
			assertThat(f.fileBytes()).isPositive();
			assertThat(f.chunks()).as("one MESH message per programme").isEqualTo(4);
			assertThat(f.peakRssKb()).isPositive();
		});
		Benchmark.print(figures);
	}

}

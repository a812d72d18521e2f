package uk.nhs.vaccinations.dpsexport.demo;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.dps.NhsNumber;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.export.job.ExportLauncher;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.export.job.ExportLauncher.ProgrammeResult;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
@TestPropertySource(properties = "dps.output-dir=target/test-dps-files/DemoDataGeneratorTest")
class DemoDataGeneratorTest {

	@Autowired
	DemoDataGenerator generator;

	@Autowired
	ExportLauncher launcher;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void reset() {
		new TestData(this.jdbc).reset();
	}

	@Test
	void theSameSeedGivesTheSameData() {
		this.generator.generate(500, 7);
		String first = fingerprint();
		reset();
		this.generator.generate(500, 7);
		assertThat(fingerprint()).isEqualTo(first);
		reset();
		this.generator.generate(500, 8);
		assertThat(fingerprint()).isNotEqualTo(first);
	}

	@Test
	void nhsNumbersAreValidAndInTheTestRange() {
		this.generator.generate(2_000, 1);
		List<String> numbers = this.jdbc.sql("SELECT nhs_number FROM patients").query(String.class).list();
		assertThat(numbers).hasSize(1_400).allSatisfy(n -> {
			assertThat(n).startsWith("999");
			assertThat(NhsNumber.isValid(n)).as(n).isTrue();
		});
		assertThat(DemoDataGenerator.nhsNumber(new Random(3))).isEqualTo(DemoDataGenerator.nhsNumber(new Random(3)));
	}

	@Test
	void aSecondRunAddsRecordsAndEveryProgrammeExportsWithoutRejects() {
		this.generator.generate(1_000, 42);
		this.generator.generate(1_000, 42);
		assertThat(this.jdbc.sql("SELECT count(DISTINCT uuid) FROM vaccination_records").query(Long.class).single())
			.isEqualTo(2_000);

		List<ProgrammeResult> results = this.launcher.exportAll(LocalDate.of(2026, 11, 24),
				EnumSet.allOf(Programme.class));

		assertThat(results).extracting(ProgrammeResult::outcome).containsOnly(RunOutcome.COMPLETED);
		assertThat(this.jdbc.sql("SELECT count(*) FROM dps_export_rejects").query(Long.class).single()).isZero();
		long exportable = this.jdbc.sql("""
				SELECT count(*) FROM vaccination_records
				WHERE discarded_at IS NULL AND outcome = 'administered' AND session_id IS NOT NULL""")
			.query(Long.class)
			.single();
		long written = this.jdbc.sql("SELECT sum(row_count) FROM dps_exports").query(Long.class).single();
		assertThat(written).isEqualTo(exportable).isGreaterThan(1_500);
	}

	private String fingerprint() {
		return this.jdbc.sql("""
				SELECT md5(string_agg(concat_ws(',', r.uuid, r.programme_id, r.outcome, r.delivery_site,
				       r.performed_at, p.nhs_number, p.given_name, p.date_of_birth), ';' ORDER BY r.id))
				FROM vaccination_records r JOIN patients p ON p.id = r.patient_id""").query(String.class).single();
	}

}

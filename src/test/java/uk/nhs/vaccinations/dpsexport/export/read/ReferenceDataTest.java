package uk.nhs.vaccinations.dpsexport.export.read;

import java.time.LocalDate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class ReferenceDataTest {

	@Autowired
	JdbcClient jdbc;

	TestData data;

	@BeforeEach
	void setUp() {
		this.data = new TestData(this.jdbc);
		this.data.reset();
	}

	@Test
	void rowsCreatedAfterTheLoadAreFoundByReloadingOnce() {
		long early = this.data.batch("gardasil_9", "EARLY1", LocalDate.of(2027, 1, 31));
		ReferenceData reference = ReferenceData.load(this.jdbc);
		long late = this.data.batch("gardasil_9", "LATE2", null);
		long user = this.data.user("Jane", "Doe");
		long session = this.data.session(this.data.organisation("R1L"), this.data.school("123456"), "hpv");

		assertThat(reference.batch(early)).isEqualTo(new ReferenceData.Batch("EARLY1", LocalDate.of(2027, 1, 31)));
		assertThat(reference.batch(late)).isEqualTo(new ReferenceData.Batch("LATE2", null));
		assertThat(reference.user(user)).isEqualTo(new ReferenceData.User("Jane", "Doe"));
		assertThat(reference.session(session).organisationOdsCode()).isEqualTo("R1L");
		assertThat(reference.session(session).locationUrn()).isEqualTo("123456");
		assertThat(reference.batch(null)).isNull();
		assertThat(reference.batch(-1L)).isNull();
	}

}

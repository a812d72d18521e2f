package uk.nhs.vaccinations.dpsexport.dps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DpsTextTest {

	@Test
	void lineBreaksAndTabsBecomeSpacesAndOtherControlsGo() {
		assertThat(DpsText.clean("Ann\nMarie")).isEqualTo("Ann Marie");
		assertThat(DpsText.clean("Smith\r\n")).isEqualTo("Smith  ");
		assertThat(DpsText.clean("LS1\t1AA")).isEqualTo("LS1 1AA");
		assertThat(DpsText.clean("Bo\u0007b\u001B\u007F\u0085")).isEqualTo("Bob");
	}

	@Test
	void cleanTextIsTheSameInstanceAndNullIsEmpty() {
		String name = "Zoë O'Brien-Smith";
		assertThat(DpsText.clean(name)).isSameAs(name);
		assertThat(DpsText.clean(null)).isEmpty();
	}

}

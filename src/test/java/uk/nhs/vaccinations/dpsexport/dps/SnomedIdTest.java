package uk.nhs.vaccinations.dpsexport.dps;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SnomedIdTest {

	/** Every SNOMED CT id in the format doc: procedures, sites, routes, the dose unit and the vaccines. */
	@ParameterizedTest
	@ValueSource(strings = { "822851000000102", "761841000", "871874000", "866186002", "368208006", "368209003",
			"61396006", "11207009", "723979003", "723980000", "279549004", "78421000", "34206005", "46713006",
			"258773002", "40085311000001103", "40085011000001101", "27114211000001105", "34680411000001107",
			"35727111000001109", "39566211000001103", "33493111000001108", "39779611000001104", "17188711000001105",
			"20517811000001104", "7374511000001107", "12238911000001100", "38973211000001108", "36509011000001106",
			"10880211000001104" })
	void everyCodeOfTheFormatDocIsWellFormed(String id) {
		assertThat(SnomedId.problem(id)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "761841001, its Verhoeff check digit is wrong", "761841009, its Verhoeff check digit is wrong",
			"33493111000001109, its Verhoeff check digit is wrong", "12345, it is 5 digits long, not 6 to 18",
			"1234567890123456789, it is 19 digits long", "0761841000, it starts with 0",
			"761841020, its partition is 02, not 00 or 10", "76184A000, it is not all digits" })
	void malformedIdsAreRefusedWithTheReason(String id, String reason) {
		assertThat(SnomedId.problem(id)).startsWith(reason);
	}

}

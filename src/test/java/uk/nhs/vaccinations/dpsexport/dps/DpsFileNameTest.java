package uk.nhs.vaccinations.dpsexport.dps;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DpsFileNameTest {

	@Test
	void theFormatDocsExample() {
		// 22:13 on 30 November is GMT, so London wall-clock time equals UTC and the suffix is 00.
		assertThat(DpsFileName.of(Programme.FLU, "V0V8L", Instant.parse("2026-11-30T22:13:00Z")))
			.isEqualTo("FLU_Vaccinations_v5_V0V8L_20261130T22130000.csv");
	}

	@ParameterizedTest
	@CsvSource({ "FLU, FLU", "HPV, HPV", "MENACWY, MENACWY", "TD_IPV, 3IN1" })
	void eachProgrammeGoesUnderDpsVaccineType(Programme programme, String vaccineType) {
		String name = DpsFileName.of(programme, "V0V8L", Instant.parse("2026-11-30T22:13:00Z"));

		assertThat(name).isEqualTo(vaccineType + "_Vaccinations_v5_V0V8L_20261130T22130000.csv");
		assertThat(DpsFileName.problem(name, "V0V8L")).isEmpty();
	}

	/** 2026: clocks go forward at 01:00 UTC on 29 March and back at 01:00 UTC on 25 October. */
	@ParameterizedTest
	@CsvSource({
			// the last second of GMT in spring, and the first of BST (London jumps from 00:59:59 to 02:00:00)
			"2026-03-29T00:59:59Z, 20260329T00595900", "2026-03-29T01:00:00Z, 20260329T02000001",
			// the last second of BST in autumn (01:59:59 London), then 01:00:00 again, now GMT
			"2026-10-25T00:59:59Z, 20261025T01595901", "2026-10-25T01:00:00Z, 20261025T01000000",
			// the same London wall-clock time, 01:30, twice in one night: the suffix tells them apart
			"2026-10-25T00:30:00Z, 20261025T01300001", "2026-10-25T01:30:00Z, 20261025T01300000",
			// midsummer and midwinter
			"2026-07-01T12:00:00Z, 20260701T13000001", "2026-01-15T12:00:00Z, 20260115T12000000" })
	void theTimestampIsLondonWallClockTimeWithTheSummerTimeSuffix(String instant, String timestamp) {
		assertThat(DpsFileName.timestamp(Instant.parse(instant))).isEqualTo(timestamp);
		assertThat(DpsFileName.of(Programme.HPV, "V0V8L", Instant.parse(instant)))
			.isEqualTo("HPV_Vaccinations_v5_V0V8L_" + timestamp + ".csv");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', value = {
			"Vaccinations-Flu-2026-11-30.csv; does not end in .csv or .dat|has 1 '_'-separated parts",
			"FLU_Vaccinations_v5_V0V8L_20261130T22130000.txt; does not end in .csv or .dat",
			"FLU_Vaccinations_v5_V0V8L_20261130T22130000.gz.csv; has a '.' before its extension",
			"FLU_Vaccinations_v5_V0V8L_20261130T221300.csv; DPS expects 17 characters",
			"FLU_Vaccinations_v5_V0V8L_20261130T22130002.csv; DPS expects 17 characters",
			"FLU_Vaccinations_v5_V0V8L_20260230T22130000.csv; not a real date and time",
			"FLU_Vaccinations_v5_V0V8L_20261130T25130000.csv; not a real date and time",
			"TDIPV_Vaccinations_v5_V0V8L_20261130T22130000.csv; is not one of DPS's vaccine types",
			"FLU_Vaccination_v5_V0V8L_20261130T22130000.csv; not 'Vaccinations'",
			"FLU_Vaccinations_v4_V0V8L_20261130T22130000.csv; DPS accepts only v5",
			"FLU_Vaccinations_v5_X26ABC1_20261130T22130000.csv; is 'X26ABC1', not V0V8L",
			"FLU_Vaccinations_v5_V0V8L_extra_20261130T22130000.csv; has 6 '_'-separated parts" })
	void namesDpsRejectsAreRefusedWithTheReason(String name, String reasons) {
		assertThat(DpsFileName.problem(name, "V0V8L")).hasValueSatisfying(problem -> assertThat(reasons.split("\\|"))
			.anySatisfy(reason -> assertThat(problem).contains(reason)));
	}

	@Test
	void dpsUpperCasesTheNameBeforeCheckingIt() {
		assertThat(DpsFileName.problem("flu_vaccinations_V5_V0V8L_20261130T22130000.CSV", "V0V8L")).isEmpty();
		assertThat(DpsFileName.problem("3IN1_Vaccinations_v5_V0V8L_20261130T22130000.dat", "V0V8L")).isEmpty();
	}

}

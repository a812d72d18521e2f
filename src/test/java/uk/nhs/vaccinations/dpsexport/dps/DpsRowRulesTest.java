package uk.nhs.vaccinations.dpsexport.dps;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DpsRowRulesTest {

	/** 23:30 on 1 June 2026 in London (BST): in UTC it is 22:30. */
	static final Instant NOW = Instant.parse("2026-06-01T22:30:00Z");

	final DpsRowRules rules = new DpsRowRules(Clock.fixed(NOW, ZoneOffset.UTC));

	/** The format doc's worked example, with the patient's columns filled in: DPS accepts it. */
	static String[] valid() {
		return new String[] { "9990000018", "Ella", "Smith", "20121229", "2", "SW1A 1AA", "20240612T10283100", "R1L",
				DpsFileFormat.ODS_ORGANISATION_URI, "ea4860a5-6d97-4f31-b640-f5c50f43bfd2",
				DpsFileFormat.DEFAULT_UNIQUE_ID_URI, "new", "Jane", "Doe", "20240723", "TRUE", "761841000",
				"Administration of vaccine product containing only Human papillomavirus antigen (procedure)", "1",
				"33493111000001108", "Gardasil 9 vaccine suspension", "Merck Sharp & Dohme", "AB1234", "20250701",
				"368208006", "Left upper arm structure", "78421000", "Intramuscular", "0.5", DpsFileFormat.DOSE_UNIT_CODE,
				DpsFileFormat.DOSE_UNIT_TERM, "", "123456", DpsFileFormat.SCHOOL_URN_URI };
	}

	static String[] with(String column, String value) {
		String[] row = valid();
		row[DpsFileFormat.COLUMNS.indexOf(column)] = value;
		return row;
	}

	List<DpsRowRules.Violation> check(String column, String value) {
		return this.rules.check(with(column, value));
	}

	void accepted(String column, String value) {
		assertThat(check(column, value)).as("%s '%s'", column, value).isEmpty();
	}

	void rejected(String column, String value, String reason) {
		assertThat(check(column, value)).as("%s '%s'", column, value)
			.singleElement()
			.satisfies(v -> assertThat(v.column()).isEqualTo(column))
			.satisfies(v -> assertThat(v.reason()).contains(reason));
	}

	@Test
	void theWorkedExampleIsAccepted() {
		assertThat(this.rules.check(valid())).isEmpty();
	}

	@Test
	void surnameAtMost35Characters() {
		accepted("PERSON_SURNAME", "S".repeat(35));
		rejected("PERSON_SURNAME", "S".repeat(36), "PERSON_SURNAME is 36 characters; DPS accepts at most 35");
		rejected("PERSON_SURNAME", "S".repeat(41), "PERSON_SURNAME is 41 characters; DPS accepts at most 35");
		// characters, not UTF-16 units: 35 letters outside the Basic Multilingual Plane are 70 chars in Java
		accepted("PERSON_SURNAME", "\uD835\uDC00".repeat(35));
		rejected("PERSON_SURNAME", "", "PERSON_SURNAME is empty; DPS requires it");
	}

	@Test
	void forenameAtMost180Characters() {
		accepted("PERSON_FORENAME", "F".repeat(180));
		rejected("PERSON_FORENAME", "F".repeat(181), "PERSON_FORENAME is 181 characters; DPS accepts at most 180");
		rejected("PERSON_FORENAME", "", "PERSON_FORENAME is empty");
	}

	@Test
	void datesOfBirthAndRecordingAreRealAndNotInTheFutureInLondon() {
		// 22:30 UTC on 1 June is 23:30 in London: 1 June is today there, 2 June tomorrow
		accepted("PERSON_DOB", "20260601");
		rejected("PERSON_DOB", "20260602", "PERSON_DOB is in the future");
		accepted("RECORDED_DATE", "20260601");
		rejected("RECORDED_DATE", "20260602", "RECORDED_DATE 20260602 is in the future");
		// an hour later it is past midnight in London, though still 1 June in UTC
		DpsRowRules afterLondonMidnight = new DpsRowRules(Clock.fixed(Instant.parse("2026-06-01T23:30:00Z"),
				ZoneOffset.UTC));
		assertThat(afterLondonMidnight.check(with("PERSON_DOB", "20260602"))).isEmpty();
		assertThat(afterLondonMidnight.check(with("PERSON_DOB", "20260603"))).isNotEmpty();
	}

	@Test
	void datesMustBeReal() {
		accepted("PERSON_DOB", "20120229");
		rejected("PERSON_DOB", "20130229", "PERSON_DOB is not a real date in the form yyyyMMdd");
		accepted("EXPIRY_DATE", "20000229");
		rejected("EXPIRY_DATE", "19000229", "EXPIRY_DATE '19000229' is not a real date");
		rejected("PERSON_DOB", "2012-12-29x", "not a real date");
		rejected("PERSON_DOB", "20121301", "not a real date");
		rejected("PERSON_DOB", "", "PERSON_DOB is empty");
		rejected("RECORDED_DATE", "20240732", "not a real date");
	}

	@Test
	void expiryMayBeEmptyPastOrFuture() {
		accepted("EXPIRY_DATE", "");
		accepted("EXPIRY_DATE", "20200101");
		accepted("EXPIRY_DATE", "20991231");
	}

	@Test
	void theVaccinationTimeIsNotInTheFuture() {
		accepted("DATE_AND_TIME", "20260601T22300000");
		rejected("DATE_AND_TIME", "20260601T22300100", "DATE_AND_TIME 20260601T22300100 is in the future");
		// suffix 01 is BST: 23:30:00 BST is 22:30:00 UTC, now; a second later is the future
		accepted("DATE_AND_TIME", "20260601T23300001");
		rejected("DATE_AND_TIME", "20260601T23300101", "is in the future");
		accepted("DATE_AND_TIME", "20260601T223000");
		rejected("DATE_AND_TIME", "20260601T22300002", "is not yyyyMMdd'T'HHmmss with suffix 00 (UTC) or 01 (BST)");
		rejected("DATE_AND_TIME", "20260601T24000000", "is not yyyyMMdd'T'HHmmss");
		rejected("DATE_AND_TIME", "", "DATE_AND_TIME is empty");
	}

	@Test
	void doseSequenceIsEmptyOrOneToNine() {
		accepted("DOSE_SEQUENCE", "");
		accepted("DOSE_SEQUENCE", "1");
		accepted("DOSE_SEQUENCE", "9");
		rejected("DOSE_SEQUENCE", "10", "DOSE_SEQUENCE is 10; DPS accepts empty or a whole number 1 to 9");
		rejected("DOSE_SEQUENCE", "0", "DOSE_SEQUENCE is 0");
		rejected("DOSE_SEQUENCE", "-1", "DOSE_SEQUENCE is -1");
	}

	@ParameterizedTest
	@CsvSource({ "0, true", "1, true", "2, true", "9, true", "3, false", "'', false", "M, false" })
	void genderCode(String code, boolean ok) {
		assertThat(check("PERSON_GENDER_CODE", code).isEmpty()).isEqualTo(ok);
	}

	@Test
	void nhsNumberIsEmptyOrValid() {
		accepted("NHS_NUMBER", "");
		rejected("NHS_NUMBER", "9990000019", "NHS_NUMBER is not 10 digits with a valid modulus 11 check digit");
		rejected("NHS_NUMBER", "999000001", "modulus 11");
		// the value itself stays out of the reason: rejects are logged
		assertThat(check("NHS_NUMBER", "9990000019").get(0).reason()).doesNotContain("9990000019");
	}

	@Test
	void snomedCodesAreWellFormed() {
		accepted("VACCINATION_PROCEDURE_CODE", "822851000000102");
		rejected("VACCINATION_PROCEDURE_CODE", "761841001", "its Verhoeff check digit is wrong");
		rejected("VACCINATION_PROCEDURE_CODE", "", "VACCINATION_PROCEDURE_CODE is empty");
		accepted("VACCINE_PRODUCT_CODE", "");
		rejected("VACCINE_PRODUCT_CODE", "33493111000001109",
				"VACCINE_PRODUCT_CODE 33493111000001109 is not a valid SNOMED CT id: its Verhoeff check digit is wrong");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0.5", "0.25", "1", "10.125" })
	void doseAmountPlainNumbers(String amount) {
		accepted("DOSE_AMOUNT", amount);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0,5", ".5", "5.", "1e-1", "-0.5", "half" })
	void doseAmountOtherwise(String amount) {
		rejected("DOSE_AMOUNT", amount, "is not a plain number");
	}

	@Test
	void requiredColumns() {
		for (String column : List.of("PERSON_POSTCODE", "SITE_CODE", "SITE_CODE_TYPE_URI", "UNIQUE_ID", "UNIQUE_ID_URI",
				"LOCATION_CODE", "LOCATION_CODE_TYPE_URI")) {
			rejected(column, "", column + " is empty; DPS requires it");
		}
	}

	@Test
	void actionAndPrimarySourceInAnyCase() {
		accepted("ACTION_FLAG", "NEW");
		accepted("ACTION_FLAG", "Update");
		rejected("ACTION_FLAG", "insert", "ACTION_FLAG 'insert' is not new, update or delete");
		accepted("PRIMARY_SOURCE", "false");
		rejected("PRIMARY_SOURCE", "yes", "PRIMARY_SOURCE 'yes' is not TRUE or FALSE");
	}

	@Test
	void aDeleteIsCheckedForItsIdentityAndActionOnly() {
		String[] delete = with("ACTION_FLAG", "delete");
		delete[DpsFileFormat.COLUMNS.indexOf("PERSON_SURNAME")] = "";
		delete[DpsFileFormat.COLUMNS.indexOf("DOSE_SEQUENCE")] = "10";
		delete[DpsFileFormat.COLUMNS.indexOf("VACCINE_PRODUCT_CODE")] = "";
		assertThat(this.rules.check(delete)).isEmpty();
		delete[DpsFileFormat.COLUMNS.indexOf("UNIQUE_ID")] = "";
		assertThat(this.rules.check(delete)).extracting(DpsRowRules.Violation::column).containsExactly("UNIQUE_ID");
	}

	@Test
	void everyViolationOfARowIsReportedInColumnOrder() {
		String[] row = with("PERSON_SURNAME", "S".repeat(36));
		row[DpsFileFormat.COLUMNS.indexOf("DOSE_SEQUENCE")] = "10";
		row[DpsFileFormat.COLUMNS.indexOf("PERSON_POSTCODE")] = "";

		assertThat(this.rules.check(row)).extracting(DpsRowRules.Violation::column)
			.containsExactly("PERSON_SURNAME", "PERSON_POSTCODE", "DOSE_SEQUENCE");
	}

}

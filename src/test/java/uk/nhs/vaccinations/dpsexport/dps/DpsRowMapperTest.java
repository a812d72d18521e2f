package uk.nhs.vaccinations.dpsexport.dps;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsRowMapperTest {

	static final String HPV_TERM = "Administration of vaccine product containing only Human papillomavirus antigen (procedure)";

	static final String GARDASIL_9_TERM = "Gardasil 9 vaccine suspension for injection 0.5ml pre-filled syringes (Merck Sharp & Dohme (UK) Ltd) (product)";

	/** The format doc's worked example, with patient columns and SITE_CODE filled in. */
	static final String WORKED_EXAMPLE_LINE = String.join("|", "\"9990000018\"", "\"Ella\"", "\"Smith\"",
			"\"20121229\"", "\"2\"", "\"SW1A 1AA\"", "\"20240612T10283100\"", "\"R1L\"",
			"\"https://fhir.nhs.uk/Id/ods-organization-code\"", "\"ea4860a5-6d97-4f31-b640-f5c50f43bfd2\"",
			"\"https://manage-vaccinations-in-schools.nhs.uk/vaccination-records\"", "\"new\"", "\"Jane\"",
			"\"Doe\"", "\"20240723\"", "\"TRUE\"", "\"761841000\"", "\"" + HPV_TERM + "\"", "\"1\"",
			"\"33493111000001108\"", "\"" + GARDASIL_9_TERM + "\"", "\"Merck Sharp & Dohme\"", "\"AB1234\"",
			"\"20250701\"", "\"368208006\"", "\"Left upper arm structure\"", "\"78421000\"", "\"Intramuscular\"",
			"\"0.5\"", "\"258773002\"", "\"Milliliter (qualifier value)\"", "\"\"", "\"123456\"",
			"\"https://fhir.hl7.org.uk/Id/urn-school-number\"");

	static final String HEADER_LINE = "\"NHS_NUMBER\"|\"PERSON_FORENAME\"|\"PERSON_SURNAME\"|\"PERSON_DOB\"|"
			+ "\"PERSON_GENDER_CODE\"|\"PERSON_POSTCODE\"|\"DATE_AND_TIME\"|\"SITE_CODE\"|\"SITE_CODE_TYPE_URI\"|"
			+ "\"UNIQUE_ID\"|\"UNIQUE_ID_URI\"|\"ACTION_FLAG\"|\"PERFORMING_PROFESSIONAL_FORENAME\"|"
			+ "\"PERFORMING_PROFESSIONAL_SURNAME\"|\"RECORDED_DATE\"|\"PRIMARY_SOURCE\"|"
			+ "\"VACCINATION_PROCEDURE_CODE\"|\"VACCINATION_PROCEDURE_TERM\"|\"DOSE_SEQUENCE\"|"
			+ "\"VACCINE_PRODUCT_CODE\"|\"VACCINE_PRODUCT_TERM\"|\"VACCINE_MANUFACTURER\"|\"BATCH_NUMBER\"|"
			+ "\"EXPIRY_DATE\"|\"SITE_OF_VACCINATION_CODE\"|\"SITE_OF_VACCINATION_TERM\"|"
			+ "\"ROUTE_OF_VACCINATION_CODE\"|\"ROUTE_OF_VACCINATION_TERM\"|\"DOSE_AMOUNT\"|\"DOSE_UNIT_CODE\"|"
			+ "\"DOSE_UNIT_TERM\"|\"INDICATION_CODE\"|\"LOCATION_CODE\"|\"LOCATION_CODE_TYPE_URI\"";

	private final DpsRowMapper mapper = new DpsRowMapper(DpsFileFormat.DEFAULT_UNIQUE_ID_URI);


	static VaccinationEvent workedExample() {
		return new VaccinationEvent(1, 1, UUID.fromString("ea4860a5-6d97-4f31-b640-f5c50f43bfd2"), "new", "hpv",
				"761841000", HPV_TERM, "9990000018", "Ella", "Smith", LocalDate.of(2012, 12, 29), 2, "SW1A 1AA",
				ZonedDateTime.of(2024, 6, 12, 11, 28, 31, 0, ZoneId.of("Europe/London")).toInstant(), "R1L", "Jane",
				"Doe", Instant.parse("2024-07-23T08:00:00Z"), 1, "33493111000001108", GARDASIL_9_TERM,
				"Merck Sharp & Dohme", new BigDecimal("0.500"), true, "AB1234", LocalDate.of(2025, 7, 1),
				"left_arm_upper_position", "intramuscular", "school", "123456", null);
	}

	@Test
	void workedExampleGivesTheDocumentedRow() {
		assertThat(DpsLineFormatter.line(this.mapper.map(workedExample()))).isEqualTo(WORKED_EXAMPLE_LINE);
	}

	@Test
	void headerIsTheThirtyFourColumnsQuoted() {
		assertThat(DpsLineFormatter.header()).isEqualTo(HEADER_LINE);
		assertThat(DpsFileFormat.COLUMNS).hasSize(34);
	}

	@Test
	void embeddedQuotesAreDoubledAndPipesStayInsideTheQuotes() {
		VaccinationEvent event = with(workedExample(), "O\"Brien|Jr");
		String line = DpsLineFormatter.line(this.mapper.map(event));
		assertThat(line).startsWith("\"9990000018\"|\"Ella\"|\"O\"\"Brien|Jr\"|\"20121229\"|");
	}

	@Test
	void vaccinationTimeIsWrittenInUtcWithZoneSuffix00() {
		// In winter London is UTC; in summer BST is an hour ahead (the worked example covers summer).
		VaccinationEvent winter = at(workedExample(), Instant.parse("2025-01-15T14:05:09Z"));
		assertThat(this.mapper.map(winter).field("DATE_AND_TIME")).isEqualTo("20250115T14050900");
	}

	@Test
	void recordedDateIsTheLondonDateOfCreation() {
		// 23:30 UTC on 23 July is 00:30 BST on 24 July.
		VaccinationEvent lateNight = created(workedExample(), Instant.parse("2024-07-23T23:30:00Z"));
		assertThat(this.mapper.map(lateNight).field("RECORDED_DATE")).isEqualTo("20240724");
	}

	@Test
	void halfDoseIsHalfTheVaccineVolume() {
		VaccinationEvent fluenz = new VaccinationEvent(1, 1, UUID.randomUUID(), "new", "flu", "822851000000102",
				"Seasonal influenza vaccination (procedure)", "", "A", "B", LocalDate.of(2015, 1, 1), 0, null,
				Instant.parse("2025-10-01T09:00:00Z"), "R1L", null, null, Instant.parse("2025-10-01T09:00:00Z"), null,
				"27114211000001105", "Fluenz", "AstraZeneca", new BigDecimal("0.200"), false, "X", null, "nose",
				"nasal_spray", "clinic", null, "R1LC1");
		DpsRow row = this.mapper.map(fluenz);
		assertThat(row.field("DOSE_AMOUNT")).isEqualTo("0.1");
		assertThat(row.field("SITE_OF_VACCINATION_CODE")).isEqualTo("279549004");
		assertThat(row.field("ROUTE_OF_VACCINATION_TERM")).isEqualTo("Nasal");
		assertThat(row.field("DOSE_SEQUENCE")).isEmpty();
		assertThat(row.field("NHS_NUMBER")).isEmpty();
		assertThat(row.field("PERSON_POSTCODE")).isEmpty();
		assertThat(row.field("PERFORMING_PROFESSIONAL_FORENAME")).isEmpty();
		assertThat(row.field("LOCATION_CODE")).isEqualTo("R1LC1");
		assertThat(row.field("LOCATION_CODE_TYPE_URI")).isEqualTo("https://fhir.nhs.uk/Id/ods-organization-code");
	}

	@Test
	void malformedNhsNumberIsRejectedWithAReasonThatDoesNotRepeatIt() {
		VaccinationEvent event = nhs(workedExample(), "9990000019");
		assertThatThrownBy(() -> this.mapper.map(event)).isInstanceOfSatisfying(UnmappableRecordException.class,
				ex -> {
					assertThat(ex.recordUuid()).isEqualTo(event.uuid());
					assertThat(ex.reason()).contains("NHS number is malformed").doesNotContain("9990000019");
				});
	}

	@Test
	void unknownDeliverySiteAndMissingVaccineAreRejected() {
		VaccinationEvent base = workedExample();
		VaccinationEvent badSite = new VaccinationEvent(1, 1, base.uuid(), "new", "hpv", "c", "t", null, "A", "B",
				base.dateOfBirth(), 1, null, base.performedAt(), "R1L", null, null, base.createdAt(), 1, "code",
				"term", "m", BigDecimal.ONE, true, "b", null, "left_ear", "intramuscular", null, null, null);
		assertThatThrownBy(() -> this.mapper.map(badSite)).isInstanceOf(UnmappableRecordException.class)
			.hasMessageContaining("unknown delivery site 'left_ear'")
			.hasMessageContaining(base.uuid().toString());
		VaccinationEvent noVaccine = new VaccinationEvent(1, 1, base.uuid(), "new", "hpv", "c", "t", null, "A",
				"B", base.dateOfBirth(), 1, null, base.performedAt(), "R1L", null, null, base.createdAt(), 1, null,
				null, null, null, true, null, null, "nose", "nasal_spray", null, null, null);
		assertThatThrownBy(() -> this.mapper.map(noVaccine)).isInstanceOf(UnmappableRecordException.class)
			.hasMessageContaining("no vaccine is recorded");
	}

	@Test
	void aDeleteGoesWithWhatTheSourceStillHolds() {
		VaccinationEvent base = workedExample();
		VaccinationEvent delete = new VaccinationEvent(1, 1, base.uuid(), "delete", "hpv", "c", "t", "123", "A",
				"B", base.dateOfBirth(), 7, null, base.performedAt(), "R1L", null, null, base.createdAt(), null,
				null, null, null, null, true, null, null, null, null, null, null, null);
		DpsRow row = this.mapper.map(delete);
		assertThat(row.field("ACTION_FLAG")).isEqualTo("delete");
		assertThat(row.field("UNIQUE_ID")).isEqualTo(base.uuid().toString());
		assertThat(row.field("VACCINE_PRODUCT_CODE")).isEmpty();
		assertThat(row.fields()).doesNotContainNull();
	}

	private static VaccinationEvent with(VaccinationEvent e, String familyName) {
		return new VaccinationEvent(e.exportId(), e.recordId(), e.uuid(), e.actionFlag(), e.programmeType(),
				e.procedureCode(), e.procedureTerm(), e.nhsNumber(), e.givenName(), familyName, e.dateOfBirth(),
				e.genderCode(), e.postcode(), e.performedAt(), e.organisationOdsCode(), e.performerGivenName(),
				e.performerFamilyName(), e.createdAt(), e.doseSequence(), e.vaccineProductCode(),
				e.vaccineProductTerm(), e.vaccineManufacturer(), e.vaccineDoseVolumeMl(), e.fullDose(), e.batchName(),
				e.batchExpiry(), e.deliverySite(), e.deliveryMethod(), e.locationType(), e.locationUrn(),
				e.locationOdsCode());
	}

	private static VaccinationEvent at(VaccinationEvent e, Instant performedAt) {
		return new VaccinationEvent(e.exportId(), e.recordId(), e.uuid(), e.actionFlag(), e.programmeType(),
				e.procedureCode(), e.procedureTerm(), e.nhsNumber(), e.givenName(), e.familyName(), e.dateOfBirth(),
				e.genderCode(), e.postcode(), performedAt, e.organisationOdsCode(), e.performerGivenName(),
				e.performerFamilyName(), e.createdAt(), e.doseSequence(), e.vaccineProductCode(),
				e.vaccineProductTerm(), e.vaccineManufacturer(), e.vaccineDoseVolumeMl(), e.fullDose(), e.batchName(),
				e.batchExpiry(), e.deliverySite(), e.deliveryMethod(), e.locationType(), e.locationUrn(),
				e.locationOdsCode());
	}

	private static VaccinationEvent created(VaccinationEvent e, Instant createdAt) {
		return new VaccinationEvent(e.exportId(), e.recordId(), e.uuid(), e.actionFlag(), e.programmeType(),
				e.procedureCode(), e.procedureTerm(), e.nhsNumber(), e.givenName(), e.familyName(), e.dateOfBirth(),
				e.genderCode(), e.postcode(), e.performedAt(), e.organisationOdsCode(), e.performerGivenName(),
				e.performerFamilyName(), createdAt, e.doseSequence(), e.vaccineProductCode(), e.vaccineProductTerm(),
				e.vaccineManufacturer(), e.vaccineDoseVolumeMl(), e.fullDose(), e.batchName(), e.batchExpiry(),
				e.deliverySite(), e.deliveryMethod(), e.locationType(), e.locationUrn(), e.locationOdsCode());
	}

	private static VaccinationEvent nhs(VaccinationEvent e, String nhsNumber) {
		return new VaccinationEvent(e.exportId(), e.recordId(), e.uuid(), e.actionFlag(), e.programmeType(),
				e.procedureCode(), e.procedureTerm(), nhsNumber, e.givenName(), e.familyName(), e.dateOfBirth(),
				e.genderCode(), e.postcode(), e.performedAt(), e.organisationOdsCode(), e.performerGivenName(),
				e.performerFamilyName(), e.createdAt(), e.doseSequence(), e.vaccineProductCode(),
				e.vaccineProductTerm(), e.vaccineManufacturer(), e.vaccineDoseVolumeMl(), e.fullDose(), e.batchName(),
				e.batchExpiry(), e.deliverySite(), e.deliveryMethod(), e.locationType(), e.locationUrn(),
				e.locationOdsCode());
	}

	@Test
	void datesAreWrittenAsTheFormatDocSays() {
		assertThat(DpsRowMapper.date(LocalDate.of(2012, 3, 4))).isEqualTo("20120304");
		assertThat(DpsRowMapper.date(LocalDate.of(1, 1, 1))).isEqualTo("00010101");
		assertThat(DpsRowMapper.date(null)).isEmpty();
		assertThat(DpsRowMapper.date(LocalDate.MAX)).isEqualTo("infinity");
		// UTC, whatever the season, then the zone suffix 00
		assertThat(DpsRowMapper.dateAndTime(Instant.parse("2025-07-01T08:05:09.999Z"))).isEqualTo("20250701T08050900");
		assertThat(DpsRowMapper.dateAndTime(Instant.parse("2025-12-31T23:59:59Z"))).isEqualTo("20251231T23595900");
		Instant autumnBack = Instant.parse("2025-10-25T23:30:00Z");
		assertThat(DpsRowMapper.londonDate(autumnBack)).isEqualTo(LocalDate.of(2025, 10, 26));
		assertThat(DpsRowMapper.date(null)).isEmpty();
	}

}

package uk.nhs.vaccinations.dpsexport.dps;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

import static uk.nhs.vaccinations.dpsexport.dps.DpsFileFormat.COLUMNS;

/**
 * Maps one claimed vaccination to its DPS row, column by column as the format doc says.
 * A new or update row must be complete enough for DPS to record the vaccination; a delete
 * only has to identify the record, so it goes with whatever the source still holds.
 */
public class DpsRowMapper {

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private static final Set<Integer> GENDER_CODES = Set.of(0, 1, 2, 9);

	private static final BigDecimal TWO = BigDecimal.valueOf(2);

	private final String uniqueIdUri;

	public DpsRowMapper(String uniqueIdUri) {
		this.uniqueIdUri = uniqueIdUri;
	}

	public DpsRow map(VaccinationEvent event) {
		boolean strict = !event.isDelete();
		if (strict) {
			inRange(event, "DATE_AND_TIME", event.performedAt(), "the vaccination time");
			inRange(event, "RECORDED_DATE", event.createdAt(), "the record's creation time");
		}
		String[] f = new String[COLUMNS.size()];
		f[0] = nhsNumber(event, strict);
		f[1] = text(event.givenName());
		f[2] = text(event.familyName());
		f[3] = date(event.dateOfBirth());
		f[4] = genderCode(event, strict);
		f[5] = text(event.postcode());
		f[6] = outOfRange(event.performedAt()) ? "" : dateAndTime(event.performedAt());
		f[7] = required(event, "SITE_CODE", event.organisationOdsCode(), "the session has no organisation ODS code",
				strict);
		f[8] = DpsFileFormat.ODS_ORGANISATION_URI;
		f[9] = event.uuid().toString();
		f[10] = this.uniqueIdUri;
		f[11] = event.actionFlag();
		f[12] = text(event.performerGivenName());
		f[13] = text(event.performerFamilyName());
		f[14] = outOfRange(event.createdAt()) ? "" : date(londonDate(event.createdAt()));
		f[15] = DpsFileFormat.PRIMARY_SOURCE;
		f[16] = event.procedureCode();
		f[17] = event.procedureTerm();
		f[18] = event.doseSequence() == null ? "" : event.doseSequence().toString();
		f[19] = required(event, "VACCINE_PRODUCT_CODE", event.vaccineProductCode(), "no vaccine is recorded", strict);
		f[20] = text(event.vaccineProductTerm());
		f[21] = text(event.vaccineManufacturer());
		f[22] = text(event.batchName());
		f[23] = date(event.batchExpiry());
		SnomedCodes.Coded site = coded(event, "SITE_OF_VACCINATION_CODE", lookup(SnomedCodes.SITES, event.deliverySite()),
				"delivery site", event.deliverySite(), strict);
		f[24] = site.code();
		f[25] = site.term();
		SnomedCodes.Coded route = coded(event, "ROUTE_OF_VACCINATION_CODE", lookup(SnomedCodes.ROUTES,
				event.deliveryMethod()), "delivery method", event.deliveryMethod(), strict);
		f[26] = route.code();
		f[27] = route.term();
		f[28] = doseAmount(event);
		f[29] = DpsFileFormat.DOSE_UNIT_CODE;
		f[30] = DpsFileFormat.DOSE_UNIT_TERM;
		f[31] = "";
		location(event, f);
		return new DpsRow(event.uuid(), f);
	}

	/** yyyyMMdd, or empty for no date. */
	static String date(LocalDate date) {
		if (date == null) {
			return "";
		}
		if (date.getYear() < 0 || date.getYear() > 9999) {
			// not a date DPS can read (PostgreSQL's infinity among them): the row rules reject it by name
			return date.equals(LocalDate.MAX) ? "infinity" : date.equals(LocalDate.MIN) ? "-infinity" : date.toString();
		}
		return DateTimeFormatter.BASIC_ISO_DATE.format(date);
	}

	/** The time in UTC as yyyyMMdd'T'HHmmss, then the zone suffix {@code 00} (Decision in the format doc). */
	static String dateAndTime(Instant instant) {
		return DATE_AND_TIME.format(instant);
	}

	private static final DateTimeFormatter DATE_AND_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'00'")
		.withZone(ZoneOffset.UTC);

	static LocalDate londonDate(Instant instant) {
		return LocalDate.ofInstant(instant, LONDON);
	}

	private static String nhsNumber(VaccinationEvent event, boolean strict) {
		String value = DpsText.clean(event.nhsNumber());
		if (value.isEmpty()) {
			return "";
		}
		if (strict && !NhsNumber.isValid(value)) {
			// The value itself stays out of the reason: rejects are logged and NHS numbers are personal data.
			throw new UnmappableRecordException(event.uuid(), "NHS_NUMBER",
					"the patient's NHS number is malformed (not 10 digits with a valid modulus 11 check digit)");
		}
		return value;
	}

	private static String genderCode(VaccinationEvent event, boolean strict) {
		Integer code = event.genderCode();
		if (code == null || !GENDER_CODES.contains(code)) {
			if (strict) {
				throw new UnmappableRecordException(event.uuid(), "PERSON_GENDER_CODE",
						"the patient's gender code " + code + " is not one of 0, 1, 2, 9");
			}
			return "0";
		}
		return code.toString();
	}

	private static String required(VaccinationEvent event, String column, String value, String reason,
			boolean strict) {
		value = DpsText.clean(value);
		if (value.isEmpty()) {
			if (strict) {
				throw new UnmappableRecordException(event.uuid(), column, reason);
			}
			return "";
		}
		return value;
	}

	private static SnomedCodes.Coded coded(VaccinationEvent event, String column, SnomedCodes.Coded coded,
			String what, String value, boolean strict) {
		if (coded != null) {
			return coded;
		}
		if (strict) {
			throw new UnmappableRecordException(event.uuid(), column,
					value == null ? "no " + what + " is recorded" : "unknown " + what + " '" + value + "'");
		}
		return new SnomedCodes.Coded("", "");
	}

	private static SnomedCodes.Coded lookup(java.util.Map<String, SnomedCodes.Coded> codes, String key) {
		// Map.of rejects null keys; a record without a site or route is rejected, not crashed on.
		return key == null ? null : codes.get(key);
	}

	private static String doseAmount(VaccinationEvent event) {
		BigDecimal volume = event.vaccineDoseVolumeMl();
		if (volume == null) {
			return "";
		}
		BigDecimal amount = event.fullDose() ? volume : volume.divide(TWO, 3, RoundingMode.UNNECESSARY);
		return amount.stripTrailingZeros().toPlainString();
	}

	private static void location(VaccinationEvent event, String[] f) {
		if ("school".equals(event.locationType()) && hasText(event.locationUrn())) {
			f[32] = DpsText.clean(event.locationUrn());
			f[33] = DpsFileFormat.SCHOOL_URN_URI;
		}
		else if (hasText(event.locationOdsCode())) {
			f[32] = DpsText.clean(event.locationOdsCode());
			f[33] = DpsFileFormat.ODS_ORGANISATION_URI;
		}
		else {
			f[32] = "";
			f[33] = "";
		}
	}

	/** DPS's dates have four-digit years; PostgreSQL's infinity, or a year like 20250, has no place in a file. */
	private static boolean outOfRange(Instant instant) {
		return instant != null && (instant.isBefore(EARLIEST) || instant.isAfter(LATEST));
	}

	private static void inRange(VaccinationEvent event, String column, Instant instant, String what) {
		if (outOfRange(instant)) {
			throw new UnmappableRecordException(event.uuid(), column,
					what + " is " + (instant.equals(Instant.MAX) ? "infinity" : instant.equals(Instant.MIN)
							? "-infinity" : instant.toString()) + ", not a date DPS can take (years 1 to 9999)");
		}
	}

	private static final Instant EARLIEST = Instant.parse("0001-01-02T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-30T23:59:59Z");

	private static boolean hasText(String value) {
		return value != null && !value.isEmpty();
	}

	private static String text(String value) {
		return DpsText.clean(value);
	}

}

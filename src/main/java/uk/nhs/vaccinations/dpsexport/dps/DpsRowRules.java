package uk.nhs.vaccinations.dpsexport.dps;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DPS's own row checks (format doc, "What DPS checks"), applied to a row as it will be written.
 * A row DPS would fail never goes: DPS's report of a failed row never reaches the sender, and a
 * record DPS failed as {@code new} would fail every later {@code update} too.
 *
 * <p>Reasons name the column and what DPS accepts, so a person can fix the record at source.
 * They leave out the values of the patient's own columns: rejects are logged, and those are
 * personal data.
 */
public final class DpsRowRules {

	/** One column DPS would refuse, and why. */
	public record Violation(String column, String reason) {

		@Override
		public String toString() {
			return this.reason;
		}

	}

	static final int FORENAME_MAX = 180;

	static final int SURNAME_MAX = 35;

	private static final ZoneRules LONDON = ZoneId.of("Europe/London").getRules();

	private static final ZoneOffset BST = ZoneOffset.ofHours(1);

	private static final int NHS_NUMBER = 0, FORENAME = 1, SURNAME = 2, DOB = 3, GENDER = 4, POSTCODE = 5,
			DATE_AND_TIME = 6, SITE_CODE = 7, SITE_CODE_TYPE_URI = 8, UNIQUE_ID = 9, UNIQUE_ID_URI = 10,
			ACTION_FLAG = 11, RECORDED_DATE = 14, PRIMARY_SOURCE = 15, PROCEDURE_CODE = 16, DOSE_SEQUENCE = 18,
			PRODUCT_CODE = 19, EXPIRY_DATE = 23, DOSE_AMOUNT = 28, LOCATION_CODE = 32, LOCATION_CODE_TYPE_URI = 33;

	private final Clock clock;

	public DpsRowRules(Clock clock) {
		this.clock = clock;
	}

	/** What DPS would refuse in this row, in column order; empty when DPS accepts it. */
	public List<Violation> check(String[] f) {
		Checks checks = new Checks(f);
		checks.required(UNIQUE_ID);
		checks.required(UNIQUE_ID_URI);
		String action = f[ACTION_FLAG].toLowerCase(Locale.ROOT);
		if (!(action.equals("new") || action.equals("update") || action.equals("delete"))) {
			checks.fail(ACTION_FLAG, "ACTION_FLAG '" + f[ACTION_FLAG] + "' is not new, update or delete");
		}
		if (action.equals("delete")) {
			// DPS checks a delete for its identity and action only.
			return checks.found();
		}
		Instant now = this.clock.instant();
		LocalDate today = LocalDate.ofInstant(now, LONDON.getOffset(now));
		if (!f[NHS_NUMBER].isEmpty() && !NhsNumber.isValid(f[NHS_NUMBER])) {
			checks.fail(NHS_NUMBER, "NHS_NUMBER is not 10 digits with a valid modulus 11 check digit");
		}
		checks.text(FORENAME, FORENAME_MAX);
		checks.text(SURNAME, SURNAME_MAX);
		checks.pastDate(DOB, today, false);
		if (!(f[GENDER].equals("0") || f[GENDER].equals("1") || f[GENDER].equals("2") || f[GENDER].equals("9"))) {
			checks.fail(GENDER, f[GENDER].isEmpty() ? "PERSON_GENDER_CODE is empty; DPS requires 0, 1, 2 or 9"
					: "PERSON_GENDER_CODE is not one of 0, 1, 2 or 9");
		}
		checks.required(POSTCODE);
		checks.pastDateTime(DATE_AND_TIME, now);
		checks.required(SITE_CODE);
		checks.required(SITE_CODE_TYPE_URI);
		checks.pastDate(RECORDED_DATE, today, true);
		String primarySource = f[PRIMARY_SOURCE].toUpperCase(Locale.ROOT);
		if (!(primarySource.equals("TRUE") || primarySource.equals("FALSE"))) {
			checks.fail(PRIMARY_SOURCE, "PRIMARY_SOURCE '" + f[PRIMARY_SOURCE] + "' is not TRUE or FALSE");
		}
		if (checks.required(PROCEDURE_CODE)) {
			checks.snomed(PROCEDURE_CODE);
		}
		if (!f[DOSE_SEQUENCE].isEmpty() && !(f[DOSE_SEQUENCE].length() == 1 && f[DOSE_SEQUENCE].charAt(0) >= '1'
				&& f[DOSE_SEQUENCE].charAt(0) <= '9')) {
			checks.fail(DOSE_SEQUENCE, "DOSE_SEQUENCE is " + f[DOSE_SEQUENCE] + "; DPS accepts empty or a whole number 1 to 9");
		}
		if (!f[PRODUCT_CODE].isEmpty()) {
			checks.snomed(PRODUCT_CODE);
		}
		if (!f[EXPIRY_DATE].isEmpty() && date(f[EXPIRY_DATE]) == null) {
			checks.fail(EXPIRY_DATE, "EXPIRY_DATE '" + f[EXPIRY_DATE] + "' is not a real date in the form yyyyMMdd");
		}
		if (!f[DOSE_AMOUNT].isEmpty() && !plainNumber(f[DOSE_AMOUNT])) {
			checks.fail(DOSE_AMOUNT, "DOSE_AMOUNT '" + f[DOSE_AMOUNT] + "' is not a plain number such as 0.5");
		}
		checks.required(LOCATION_CODE);
		checks.required(LOCATION_CODE_TYPE_URI);
		return checks.found();
	}

	/** The violations of one row; allocates nothing for a row DPS accepts, which is nearly every row. */
	private static final class Checks {

		private final String[] f;

		private List<Violation> found;

		Checks(String[] f) {
			this.f = f;
		}

		void fail(int column, String reason) {
			if (this.found == null) {
				this.found = new ArrayList<>(2);
			}
			this.found.add(new Violation(DpsFileFormat.COLUMNS.get(column), reason));
		}

		List<Violation> found() {
			return this.found == null ? List.of() : this.found;
		}

		boolean required(int column) {
			if (this.f[column].isEmpty()) {
				fail(column, DpsFileFormat.COLUMNS.get(column) + " is empty; DPS requires it");
				return false;
			}
			return true;
		}

		void text(int column, int max) {
			if (required(column)) {
				String value = this.f[column];
				// DPS counts characters (code points), not UTF-16 units.
				int length = value.length() <= max ? value.length() : value.codePointCount(0, value.length());
				if (length > max) {
					fail(column, DpsFileFormat.COLUMNS.get(column) + " is " + length + " characters; DPS accepts at most "
							+ max);
				}
			}
		}

		void pastDate(int column, LocalDate today, boolean showValue) {
			if (!required(column)) {
				return;
			}
			String name = DpsFileFormat.COLUMNS.get(column);
			String shown = showValue ? " " + this.f[column] : "";
			LocalDate date = date(this.f[column]);
			if (date == null) {
				fail(column, name + shown + " is not a real date in the form yyyyMMdd");
			}
			else if (date.isAfter(today)) {
				fail(column, name + shown + " is in the future (today is " + today + " in London); DPS refuses it");
			}
		}

		void pastDateTime(int column, Instant now) {
			if (!required(column)) {
				return;
			}
			String value = this.f[column];
			String name = DpsFileFormat.COLUMNS.get(column);
			Instant instant = dateTime(value);
			if (instant == null) {
				fail(column, name + " '" + value + "' is not yyyyMMdd'T'HHmmss with suffix 00 (UTC) or 01 (BST)");
			}
			else if (instant.isAfter(now)) {
				fail(column, name + " " + value + " is in the future (now is " + now + "); DPS refuses it");
			}
		}

		void snomed(int column) {
			String problem = SnomedId.problem(this.f[column]);
			if (problem != null) {
				fail(column, DpsFileFormat.COLUMNS.get(column) + " " + this.f[column] + " is not a valid SNOMED CT id: "
						+ problem);
			}
		}

	}

	/** A real date written yyyyMMdd, or null. */
	static LocalDate date(String value) {
		if (value.length() != 8 || !digits(value, 0, 8)) {
			return null;
		}
		int year = number(value, 0, 4);
		int month = number(value, 4, 6);
		int day = number(value, 6, 8);
		if (year < 1 || month < 1 || month > 12 || day < 1
				|| day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
			return null;
		}
		return LocalDate.of(year, month, day);
	}

	/** yyyyMMdd'T'HHmmss, then optionally 00 (UTC) or 01 (British Summer Time), as an instant; or null. */
	static Instant dateTime(String value) {
		if (!(value.length() == 15 || value.length() == 17) || value.charAt(8) != 'T' || !digits(value, 9, 15)) {
			return null;
		}
		LocalDate date = date(value.substring(0, 8));
		int hour = number(value, 9, 11);
		int minute = number(value, 11, 13);
		int second = number(value, 13, 15);
		if (date == null || hour > 23 || minute > 59 || second > 59) {
			return null;
		}
		ZoneOffset offset = ZoneOffset.UTC;
		if (value.length() == 17) {
			String suffix = value.substring(15);
			if (suffix.equals("01")) {
				offset = BST;
			}
			else if (!suffix.equals("00")) {
				return null;
			}
		}
		return date.atTime(hour, minute, second).toInstant(offset);
	}

	private static boolean plainNumber(String value) {
		int dot = value.indexOf('.');
		if (dot < 0) {
			return digits(value, 0, value.length()) && !value.isEmpty();
		}
		return dot > 0 && dot < value.length() - 1 && digits(value, 0, dot) && digits(value, dot + 1, value.length());
	}

	private static boolean digits(String value, int from, int to) {
		for (int i = from; i < to; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	private static int number(String value, int from, int to) {
		int n = 0;
		for (int i = from; i < to; i++) {
			n = n * 10 + (value.charAt(i) - '0');
		}
		return n;
	}

}

package uk.nhs.vaccinations.dpsexport.dps;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

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

	private static final int BST_SECONDS = 3_600;

	private static final int NHS_NUMBER = 0, FORENAME = 1, SURNAME = 2, DOB = 3, GENDER = 4, POSTCODE = 5,
			DATE_AND_TIME = 6, SITE_CODE = 7, SITE_CODE_TYPE_URI = 8, UNIQUE_ID = 9, UNIQUE_ID_URI = 10,
			ACTION_FLAG = 11, RECORDED_DATE = 14, PRIMARY_SOURCE = 15, PROCEDURE_CODE = 16, DOSE_SEQUENCE = 18,
			PRODUCT_CODE = 19, EXPIRY_DATE = 23, DOSE_AMOUNT = 28, LOCATION_CODE = 32, LOCATION_CODE_TYPE_URI = 33;

	private final Clock clock;

	/** Today in London, worked out once a second rather than once a row; shared by the programmes' threads. */
	private volatile Today today = new Today(Long.MIN_VALUE, 0);

	private record Today(long epochSecond, int londonDate) {
	}

	public DpsRowRules(Clock clock) {
		this.clock = clock;
	}

	/** What DPS would refuse in this row, in column order; empty when DPS accepts it. */
	public List<Violation> check(String[] f) {
		Checks checks = new Checks(f);
		checks.required(UNIQUE_ID);
		checks.required(UNIQUE_ID_URI);
		String action = f[ACTION_FLAG];
		boolean delete = action.equalsIgnoreCase("delete");
		if (!(delete || action.equalsIgnoreCase("new") || action.equalsIgnoreCase("update"))) {
			checks.fail(ACTION_FLAG, "ACTION_FLAG '" + f[ACTION_FLAG] + "' is not new, update or delete");
		}
		if (delete) {
			// DPS checks a delete for its identity and action only.
			return checks.found();
		}
		long now = this.clock.millis() / 1000;
		int today = today(now);
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
		if (!(f[PRIMARY_SOURCE].equalsIgnoreCase("TRUE") || f[PRIMARY_SOURCE].equalsIgnoreCase("FALSE"))) {
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
		if (!f[EXPIRY_DATE].isEmpty() && date(f[EXPIRY_DATE]) < 0) {
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

		void pastDate(int column, int today, boolean showValue) {
			if (!required(column)) {
				return;
			}
			int date = date(this.f[column]);
			if (date < 0) {
				fail(column, DpsFileFormat.COLUMNS.get(column) + (showValue ? " " + this.f[column] : "")
						+ " is not a real date in the form yyyyMMdd");
			}
			else if (date > today) {
				fail(column, DpsFileFormat.COLUMNS.get(column) + (showValue ? " " + this.f[column] : "")
						+ " is in the future (today is " + LocalDate.of(today / 10000, today / 100 % 100, today % 100)
						+ " in London); DPS refuses it");
			}
		}

		void pastDateTime(int column, long now) {
			if (!required(column)) {
				return;
			}
			String value = this.f[column];
			long epochSecond = dateTime(value);
			if (epochSecond == Long.MIN_VALUE) {
				fail(column, DpsFileFormat.COLUMNS.get(column) + " '" + value
						+ "' is not yyyyMMdd'T'HHmmss with suffix 00 (UTC) or 01 (BST)");
			}
			else if (epochSecond > now) {
				fail(column, DpsFileFormat.COLUMNS.get(column) + " " + value + " is in the future (now is "
						+ Instant.ofEpochSecond(now) + "); DPS refuses it");
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

	/** London's date at {@code epochSecond} as yyyyMMdd, worked out again only when the second moves on. */
	private int today(long epochSecond) {
		Today cached = this.today;
		if (cached.epochSecond() != epochSecond) {
			Instant now = Instant.ofEpochSecond(epochSecond);
			LocalDate date = LocalDate.ofInstant(now, LONDON.getOffset(now));
			cached = new Today(epochSecond, date.getYear() * 10000 + date.getMonthValue() * 100 + date.getDayOfMonth());
			this.today = cached;
		}
		return cached.londonDate();
	}

	/** A real date written yyyyMMdd, as the number yyyyMMdd; -1 when it is not one. */
	static int date(String value) {
		return value.length() == 8 ? date(value, 0) : -1;
	}

	private static int date(String value, int at) {
		if (!digits(value, at, at + 8)) {
			return -1;
		}
		int year = number(value, at, at + 4);
		int month = number(value, at + 4, at + 6);
		int day = number(value, at + 6, at + 8);
		if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
			return -1;
		}
		return year * 10000 + month * 100 + day;
	}

	private static int daysInMonth(int year, int month) {
		if (month == 2) {
			return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
		}
		return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
	}

	/**
	 * yyyyMMdd'T'HHmmss, then optionally 00 (UTC) or 01 (British Summer Time), as seconds since the
	 * epoch; {@link Long#MIN_VALUE} when it is not one.
	 */
	static long dateTime(String value) {
		if (!(value.length() == 15 || value.length() == 17) || value.charAt(8) != 'T' || !digits(value, 9, 15)) {
			return Long.MIN_VALUE;
		}
		int date = date(value, 0);
		int hour = number(value, 9, 11);
		int minute = number(value, 11, 13);
		int second = number(value, 13, 15);
		if (date < 0 || hour > 23 || minute > 59 || second > 59) {
			return Long.MIN_VALUE;
		}
		int offset = 0;
		if (value.length() == 17) {
			if (value.charAt(15) != '0' || (value.charAt(16) != '0' && value.charAt(16) != '1')) {
				return Long.MIN_VALUE;
			}
			offset = value.charAt(16) == '1' ? BST_SECONDS : 0;
		}
		long days = LocalDate.of(date / 10000, date / 100 % 100, date % 100).toEpochDay();
		return days * 86_400 + hour * 3_600L + minute * 60L + second - offset;
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

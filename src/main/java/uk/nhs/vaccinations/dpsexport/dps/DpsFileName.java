package uk.nhs.vaccinations.dpsexport.dps;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The name of a DPS file, {@code <VACC>_Vaccinations_v5_<ODS>_<timestamp>.csv}: DPS routes a file
 * by its name alone (taken from {@code mex-filename}) and rejects the whole file when any part is
 * wrong (format doc, "The file name").
 */
public final class DpsFileName {

	/** DPS's vaccine types: a name starting with anything else is rejected. */
	public static final Set<String> VACCINE_TYPES = Set.of("3IN1", "4IN1", "6IN1", "BCG", "COVID", "FLU", "HEPB", "HIB",
			"HIBMENC", "HPV", "MENACWY", "MENB", "MMR", "MMRV", "PNEUMOCOCCAL", "PERTUSSIS", "ROTAVIRUS", "RSV",
			"SHINGLES");

	/** What {@code dps.supplier-ods-code} may hold: an ODS code, upper-case letters and digits. */
	public static final String ODS_CODE_PATTERN = "[A-Z0-9]+";

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss", Locale.ROOT)
		.withResolverStyle(ResolverStyle.STRICT);

	private static final Pattern TIMESTAMP = Pattern.compile("\\d{8}T\\d{6}0[01]");

	private static final Pattern ODS_CODE = Pattern.compile(ODS_CODE_PATTERN);

	private DpsFileName() {
	}

	/** The name of a programme's file created at {@code createdAt} by the supplier {@code supplierOdsCode}. */
	public static String of(Programme programme, String supplierOdsCode, Instant createdAt) {
		return programme.dpsVaccineType() + "_Vaccinations_v5_" + supplierOdsCode + "_" + timestamp(createdAt) + ".csv";
	}

	/**
	 * London wall-clock time, then {@code 01} while British Summer Time is in force, else {@code 00}.
	 * The suffix also tells apart the two 01:30s of the autumn clock change.
	 */
	static String timestamp(Instant instant) {
		boolean summerTime = LONDON.getRules().isDaylightSavings(instant);
		return WALL_CLOCK.format(LocalDateTime.ofInstant(instant, LONDON)) + (summerTime ? "01" : "00");
	}

	/**
	 * What DPS would object to in this name, checked in DPS's order, or empty when DPS accepts it.
	 * {@code supplierOdsCode} is the code the name must carry: DPS maps it to a supplier and its
	 * permissions, and a code DPS does not know fails the file.
	 */
	public static Optional<String> problem(String name, String supplierOdsCode) {
		if (name == null || name.isEmpty()) {
			return Optional.of("the file has no name (mex-filename is missing)");
		}
		// DPS upper-cases the whole name before checking it.
		String upper = name.toUpperCase(Locale.ROOT);
		int dot = upper.lastIndexOf('.');
		if (dot < 0 || !(upper.endsWith(".CSV") || upper.endsWith(".DAT"))) {
			return Optional.of("'" + name + "' does not end in .csv or .dat");
		}
		if (upper.indexOf('.') != dot) {
			return Optional.of("'" + name + "' has a '.' before its extension");
		}
		String[] parts = upper.substring(0, dot).split("_", -1);
		if (parts.length != 5) {
			return Optional.of("'" + name + "' has " + parts.length
					+ " '_'-separated parts; DPS expects 5: <VACC>_Vaccinations_v5_<ODS>_<timestamp>");
		}
		if (!VACCINE_TYPES.contains(parts[0])) {
			return Optional.of("'" + parts[0] + "' in '" + name + "' is not one of DPS's vaccine types");
		}
		if (!parts[1].equals("VACCINATIONS")) {
			return Optional.of("the second part of '" + name + "' is '" + parts[1] + "', not 'Vaccinations'");
		}
		if (!parts[2].equals("V5")) {
			return Optional.of("the version in '" + name + "' is '" + parts[2] + "'; DPS accepts only v5");
		}
		if (!ODS_CODE.matcher(parts[3]).matches() || !parts[3].equals(supplierOdsCode)) {
			return Optional.of("the supplier ODS code in '" + name + "' is '" + parts[3] + "', not " + supplierOdsCode);
		}
		if (!TIMESTAMP.matcher(parts[4]).matches()) {
			return Optional.of("the timestamp in '" + name + "' is '" + parts[4]
					+ "'; DPS expects 17 characters, yyyyMMdd'T'HHmmss then 00 or 01");
		}
		try {
			LocalDateTime.parse(parts[4].substring(0, 15), WALL_CLOCK);
		}
		catch (DateTimeException ex) {
			return Optional.of("the timestamp in '" + name + "' is not a real date and time");
		}
		return Optional.empty();
	}

}

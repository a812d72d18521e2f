package uk.nhs.vaccinations.dpsexport.dps;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four school programmes DPS receives, keyed by the source service's programme type. */
public enum Programme {

	FLU("flu", "Flu", "FLU"),
	HPV("hpv", "HPV", "HPV"),
	MENACWY("menacwy", "MenACWY", "MENACWY"),
	// DPS has no Td/IPV type: tetanus, diphtheria and polio together are its 3IN1.
	TD_IPV("td_ipv", "Td/IPV", "3IN1");

	private final String type;

	private final String displayName;

	private final String dpsVaccineType;

	Programme(String type, String displayName, String dpsVaccineType) {
		this.type = type;
		this.displayName = displayName;
		this.dpsVaccineType = dpsVaccineType;
	}

	/** The value in {@code programmes.type} and in the {@code programme} job parameter. */
	public String type() {
		return this.type;
	}

	public String displayName() {
		return this.displayName;
	}

	/** DPS's vaccine type: the first part of the file name, which routes the file at DPS. */
	public String dpsVaccineType() {
		return this.dpsVaccineType;
	}

	/** Accepts the type ({@code td_ipv}), the display name ({@code Td/IPV}) or DPS's vaccine type ({@code 3IN1}). */
	public static Programme parse(String value) {
		String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		for (Programme programme : values()) {
			if (programme.type.equals(wanted) || programme.displayName.toLowerCase(Locale.ROOT).equals(wanted)
					|| programme.dpsVaccineType.toLowerCase(Locale.ROOT).equals(wanted)) {
				return programme;
			}
		}
		throw new IllegalArgumentException("Unknown programme '" + value + "': expected one of "
				+ Arrays.stream(values()).map(Programme::type).collect(Collectors.joining(", ")));
	}

}

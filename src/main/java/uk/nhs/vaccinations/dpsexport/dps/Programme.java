package uk.nhs.vaccinations.dpsexport.dps;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four school programmes DPS receives, keyed by the source service's programme type. */
public enum Programme {

	FLU("flu", "Flu"),
	HPV("hpv", "HPV"),
	MENACWY("menacwy", "MenACWY"),
	TD_IPV("td_ipv", "Td/IPV");

	private final String type;

	private final String displayName;

	Programme(String type, String displayName) {
		this.type = type;
		this.displayName = displayName;
	}

	/** The value in {@code programmes.type} and in the {@code programme} job parameter. */
	public String type() {
		return this.type;
	}

	public String displayName() {
		return this.displayName;
	}

	/** The programme as it appears in a DPS file name: {@code Td/IPV} becomes {@code Td-IPV}. */
	public String fileNamePart() {
		return this.displayName.replace('/', '-');
	}

	/** Accepts the type ({@code td_ipv}), the display name ({@code Td/IPV}) or the file form ({@code Td-IPV}). */
	public static Programme parse(String value) {
		String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
		for (Programme programme : values()) {
			if (programme.type.equals(wanted) || programme.displayName.toLowerCase(Locale.ROOT).equals(wanted)
					|| programme.fileNamePart().toLowerCase(Locale.ROOT).equals(wanted)) {
				return programme;
			}
		}
		throw new IllegalArgumentException("Unknown programme '" + value + "': expected one of "
				+ Arrays.stream(values()).map(Programme::type).collect(Collectors.joining(", ")));
	}

}

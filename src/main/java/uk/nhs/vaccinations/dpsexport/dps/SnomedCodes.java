package uk.nhs.vaccinations.dpsexport.dps;

import java.util.Map;

/** Body site and route codes from the format doc, keyed by the source service's values. */
final class SnomedCodes {

	record Coded(String code, String term) {
	}

	private static final Coded LEFT_UPPER_ARM = new Coded("368208006", "Left upper arm structure");

	private static final Coded RIGHT_UPPER_ARM = new Coded("368209003", "Right upper arm structure");

	static final Map<String, Coded> SITES = Map.of("left_arm_upper_position", LEFT_UPPER_ARM,
			"left_arm_lower_position", LEFT_UPPER_ARM, "right_arm_upper_position", RIGHT_UPPER_ARM,
			"right_arm_lower_position", RIGHT_UPPER_ARM, "left_thigh", new Coded("61396006", "Structure of left thigh"),
			"right_thigh", new Coded("11207009", "Structure of right thigh"), "left_buttock",
			new Coded("723979003", "Structure of left buttock"), "right_buttock",
			new Coded("723980000", "Structure of right buttock"), "nose",
			new Coded("279549004", "Nasal cavity structure"));

	static final Map<String, Coded> ROUTES = Map.of("intramuscular", new Coded("78421000", "Intramuscular"),
			"subcutaneous", new Coded("34206005", "Subcutaneous"), "nasal_spray", new Coded("46713006", "Nasal"));

	private SnomedCodes() {
	}

}

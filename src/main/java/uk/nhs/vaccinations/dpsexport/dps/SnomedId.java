package uk.nhs.vaccinations.dpsexport.dps;

/**
 * The form of a SNOMED CT concept id as DPS checks it: digits with no leading zero, 6 to 18 long,
 * the partition (second and third digits from the end) {@code 00} or {@code 10}, and a last digit
 * that is the Verhoeff check digit of the rest.
 */
public final class SnomedId {

	/** Verhoeff's multiplication table (the dihedral group D5). */
	private static final int[][] D = { { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
			{ 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
			{ 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 }, { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
			{ 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 } };

	/** Verhoeff's permutation table: row i is applied to the digit i places from the right. */
	private static final int[][] P = { { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
			{ 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
			{ 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 }, { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 } };

	private SnomedId() {
	}

	public static boolean isValid(String id) {
		return problem(id) == null;
	}

	/** Why {@code id} is not a well-formed SNOMED CT id, or null when it is. */
	public static String problem(String id) {
		if (id.length() < 6 || id.length() > 18) {
			return "it is " + id.length() + " digits long, not 6 to 18";
		}
		for (int i = 0; i < id.length(); i++) {
			if (id.charAt(i) < '0' || id.charAt(i) > '9') {
				return "it is not all digits";
			}
		}
		if (id.charAt(0) == '0') {
			return "it starts with 0";
		}
		char partitionFirst = id.charAt(id.length() - 3);
		if (id.charAt(id.length() - 2) != '0' || (partitionFirst != '0' && partitionFirst != '1')) {
			return "its partition is " + id.substring(id.length() - 3, id.length() - 1) + ", not 00 or 10";
		}
		int check = 0;
		for (int i = 0; i < id.length(); i++) {
			check = D[check][P[i % 8][id.charAt(id.length() - 1 - i) - '0']];
		}
		return check == 0 ? null : "its Verhoeff check digit is wrong";
	}

}

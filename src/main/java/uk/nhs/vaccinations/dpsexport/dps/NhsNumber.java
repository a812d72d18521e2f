package uk.nhs.vaccinations.dpsexport.dps;

/** NHS number rules: ten digits, the last a modulus 11 check digit over the first nine. */
public final class NhsNumber {

	private NhsNumber() {
	}

	/** The check digit for nine leading digits, or -1 where none exists (remainder gives 10). */
	public static int checkDigit(CharSequence firstNine) {
		int sum = 0;
		for (int i = 0; i < 9; i++) {
			sum += (firstNine.charAt(i) - '0') * (10 - i);
		}
		int check = 11 - (sum % 11);
		if (check == 11) {
			return 0;
		}
		return check == 10 ? -1 : check;
	}

	public static boolean isValid(String value) {
		if (value == null || value.length() != 10) {
			return false;
		}
		for (int i = 0; i < 10; i++) {
			if (value.charAt(i) < '0' || value.charAt(i) > '9') {
				return false;
			}
		}
		return checkDigit(value) == value.charAt(9) - '0';
	}

}

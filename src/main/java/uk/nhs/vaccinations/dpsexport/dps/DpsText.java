package uk.nhs.vaccinations.dpsexport.dps;

/**
 * Free text as it may go in a DPS file: a line feed, carriage return or tab becomes a space (a
 * name typed over two lines stays readable), and any other control character is removed. A line
 * break inside a field would make DPS read more lines than there are rows.
 */
public final class DpsText {

	private DpsText() {
	}

	/** The text made safe for a DPS field; the same instance when it already is, as nearly all text is. */
	public static String clean(String value) {
		if (value == null) {
			return "";
		}
		int n = value.length();
		int i = 0;
		while (i < n && !control(value.charAt(i))) {
			i++;
		}
		if (i == n) {
			return value;
		}
		StringBuilder cleaned = new StringBuilder(n).append(value, 0, i);
		for (; i < n; i++) {
			char c = value.charAt(i);
			if (c == '\n' || c == '\r' || c == '\t') {
				cleaned.append(' ');
			}
			else if (!control(c)) {
				cleaned.append(c);
			}
		}
		return cleaned.toString();
	}

	private static boolean control(char c) {
		return c < 0x20 || (c >= 0x7F && c <= 0x9F);
	}

}

package uk.nhs.vaccinations.dpsexport.dps;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written formatter against OpenCSV's writer, configured as the format doc says. */
class DpsLineFormatterTest {

	private static final String ALPHABET = "abcXYZ019 -'\"\"|,;\n\r\t\\éçñßØ€中文\uD83D\uDC89";

	@Test
	void writesExactlyWhatOpenCsvWritesForAnyText() {
		Random random = new Random(42);
		DpsLineFormatter formatter = new DpsLineFormatter(16);
		StringBuilder expected = new StringBuilder();
		for (int row = 0; row < 2_000; row++) {
			String[] fields = new String[DpsFileFormat.COLUMNS.size()];
			for (int i = 0; i < fields.length; i++) {
				fields[i] = randomText(random);
			}
			formatter.append(new DpsRow(UUID.randomUUID(), fields));
			expected.append(openCsv(fields)).append('\n');
		}
		assertThat(new String(formatter.bytes(), 0, formatter.length(), StandardCharsets.UTF_8))
			.isEqualTo(expected.toString());
	}

	@Test
	void headerAndQuotesFollowTheFormatDoc() {
		assertThat(DpsLineFormatter.header()).startsWith("\"NHS_NUMBER\"|\"PERSON_FORENAME\"|")
			.endsWith("|\"LOCATION_CODE_TYPE_URI\"")
			.isEqualTo(openCsv(DpsFileFormat.COLUMNS.toArray(String[]::new)));
		String[] fields = new String[DpsFileFormat.COLUMNS.size()];
		java.util.Arrays.fill(fields, "");
		fields[1] = "O\"Brien";
		fields[2] = null;
		assertThat(DpsLineFormatter.line(new DpsRow(UUID.randomUUID(), fields)))
			.startsWith("\"\"|\"O\"\"Brien\"|\"\"|\"\"|");
	}

	@Test
	void growsPastItsInitialCapacityWithoutLosingBytes() {
		// the longest bytes a char can take: a doubled quote, a three-byte char, a surrogate pair's four
		for (String filler : new String[] { "\"", "€", "\uD83D\uDC89", "€\"" }) {
			DpsLineFormatter formatter = new DpsLineFormatter(1);
			String[] fields = new String[DpsFileFormat.COLUMNS.size()];
			java.util.Arrays.fill(fields, filler.repeat(100));
			formatter.append(new DpsRow(UUID.randomUUID(), fields));
			assertThat(new String(formatter.bytes(), 0, formatter.length(), StandardCharsets.UTF_8))
				.isEqualTo(openCsv(fields) + "\n");
			formatter.clear();
			assertThat(formatter.length()).isZero();
		}
	}

	private static String randomText(Random random) {
		int length = random.nextInt(5) == 0 ? 0 : random.nextInt(40);
		StringBuilder text = new StringBuilder();
		while (text.length() < length) {
			int at = random.nextInt(ALPHABET.length());
			char c = ALPHABET.charAt(at);
			text.append(c);
			if (Character.isHighSurrogate(c)) {
				text.append(ALPHABET.charAt(at + 1));
			}
			else if (Character.isLowSurrogate(c)) {
				text.setLength(text.length() - 1);
			}
		}
		return text.toString();
	}

	private static String openCsv(String[] fields) {
		StringWriter out = new StringWriter();
		ICSVWriter csv = new CSVWriterBuilder(out).withSeparator(DpsFileFormat.SEPARATOR)
			.withQuoteChar(DpsFileFormat.QUOTE)
			.withEscapeChar(DpsFileFormat.QUOTE)
			.withLineEnd("")
			.build();
		csv.writeNext(fields, true);
		return out.toString();
	}

}

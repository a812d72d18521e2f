package uk.nhs.vaccinations.dpsexport.dps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsFileCheckTest {

	static final String NAME = "HPV_Vaccinations_v5_V0V8L_20261130T22130000.csv";

	static final String HEADER = DpsLineFormatter.header() + "\n";

	static final String ROW = DpsLineFormatter.line(new DpsRow(null, DpsRowRulesTest.valid())) + "\n";

	@TempDir
	Path dir;

	Path file(String content) throws IOException {
		return Files.writeString(this.dir.resolve(NAME), content, StandardCharsets.UTF_8);
	}

	@Test
	void aFileDpsAcceptsPasses() throws Exception {
		assertThatCode(() -> DpsFileCheck.check(file(HEADER + ROW + ROW), NAME, "V0V8L", 2)).doesNotThrowAnyException();
		assertThatCode(() -> DpsFileCheck.check(file(HEADER), NAME, "V0V8L", 0)).doesNotThrowAnyException();
	}

	@Test
	void aPipeOrDoubledQuoteInsideAFieldIsNotASeparator() throws Exception {
		String[] fields = DpsRowRulesTest.valid();
		fields[1] = "Ella|\"Bo\"|Jo";
		String row = DpsLineFormatter.line(new DpsRow(null, fields)) + "\n";
		assertThatCode(() -> DpsFileCheck.check(file(HEADER + row), NAME, "V0V8L", 1)).doesNotThrowAnyException();
	}

	@Test
	void aFileOfManyBuffersIsReadWhole() throws Exception {
		int rows = 5_000; // about 3 MB: several reads of the check's 1 MiB buffer
		Path file = file(HEADER + ROW.repeat(rows));
		assertThatCode(() -> DpsFileCheck.check(file, NAME, "V0V8L", rows)).doesNotThrowAnyException();
		assertThatThrownBy(() -> DpsFileCheck.check(file, NAME, "V0V8L", rows - 1))
			.hasMessageContaining("it holds 5000 data rows, but the export wrote 4999");
	}

	@Test
	void aWrongNameIsRefused() throws Exception {
		Path file = file(HEADER + ROW);
		assertThatThrownBy(() -> DpsFileCheck.check(file, "Vaccinations-HPV-2026-11-30.csv", "V0V8L", 1))
			.isInstanceOf(DpsFileCheck.RejectedFileException.class)
			.hasMessageContaining("its name is wrong")
			.hasMessageEndingWith("it was not sent");
		assertThatThrownBy(() -> DpsFileCheck.check(file, NAME, "X26AB", 1)).hasMessageContaining("not X26AB");
	}

	@Test
	void aByteOrderMarkIsRefused() throws Exception {
		assertThatThrownBy(() -> DpsFileCheck.check(file("\uFEFF" + HEADER + ROW), NAME, "V0V8L", 1))
			.hasMessageContaining("byte-order mark");
	}

	@Test
	void aHeaderOtherThanTheColumnsIsRefused() throws Exception {
		String wrong = HEADER.replace("PERSON_SURNAME", "PERSON_FAMILY_NAME");
		assertThatThrownBy(() -> DpsFileCheck.check(file(wrong + ROW), NAME, "V0V8L", 1))
			.hasMessageContaining("its first line is not the header of the 34 DPS columns");
		assertThatThrownBy(() -> DpsFileCheck.check(file(ROW), NAME, "V0V8L", 0))
			.hasMessageContaining("its first line is not the header");
	}

	@Test
	void aLineWithTheWrongNumberOfFieldsIsRefused() throws Exception {
		String short33 = ROW.substring(ROW.indexOf('|') + 1);
		assertThatThrownBy(() -> DpsFileCheck.check(file(HEADER + ROW + short33), NAME, "V0V8L", 2))
			.hasMessageContaining("line 3 has 33 fields, not 34");
	}

	@Test
	void aLineBreakInsideAFieldIsRefused() throws Exception {
		String broken = ROW.replace("\"Ella\"", "\"El\nla\"");
		assertThatThrownBy(() -> DpsFileCheck.check(file(HEADER + broken), NAME, "V0V8L", 1))
			.hasMessageContaining("line 2 has a line break inside a field");
		String carriageReturn = ROW.replace("\"Ella\"", "\"El\rla\"");
		assertThatThrownBy(() -> DpsFileCheck.check(file(HEADER + carriageReturn), NAME, "V0V8L", 1))
			.hasMessageContaining("line 2 has a line break inside a field");
	}

	@Test
	void aCutShortFileIsRefused() throws Exception {
		String cut = HEADER + ROW.substring(0, ROW.length() - 1);
		assertThatThrownBy(() -> DpsFileCheck.check(file(cut), NAME, "V0V8L", 1)).hasMessageContaining("cut short");
		String openQuote = HEADER + ROW.substring(0, 20);
		assertThatThrownBy(() -> DpsFileCheck.check(file(openQuote), NAME, "V0V8L", 0))
			.hasMessageContaining("cut short");
	}

	@Test
	void fewerOrMoreRowsThanWrittenAreRefused() throws Exception {
		assertThatThrownBy(() -> DpsFileCheck.check(file(HEADER + ROW), NAME, "V0V8L", 2))
			.hasMessageContaining("it holds 1 data rows, but the export wrote 2");
	}

}

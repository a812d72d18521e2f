package uk.nhs.vaccinations.dpsexport.export.job;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a DPS file back the way DPS would: a pipe-separated, quoted file with a header. */
public final class DpsFiles {

	private DpsFiles() {
	}

	public static List<Map<String, String>> read(Path file) throws Exception {
		return parse(Files.newBufferedReader(file, StandardCharsets.UTF_8));
	}

	public static List<Map<String, String>> parse(Reader source) throws Exception {
		List<Map<String, String>> rows = new ArrayList<>();
		try (CSVReader reader = new CSVReaderBuilder(source)
			.withCSVParser(new CSVParserBuilder().withSeparator('|').withQuoteChar('"').build())
			.build()) {
			String[] header = reader.readNext();
			assertThat(header).containsExactlyElementsOf(DpsFileFormat.COLUMNS);
			String[] line;
			while ((line = reader.readNext()) != null) {
				assertThat(line).hasSize(DpsFileFormat.COLUMNS.size());
				Map<String, String> row = new LinkedHashMap<>();
				for (int i = 0; i < line.length; i++) {
					row.put(header[i], line[i]);
				}
				rows.add(row);
			}
		}
		return rows;
	}

}

package uk.nhs.vaccinations.dpsexport.dps;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Formats a row as DPS wants it: pipe separated, every field double-quoted, embedded quotes
 * doubled. The line end is added by the file writer. Not thread-safe: one per writer.
 */
public final class DpsLineFormatter implements LineAggregator<DpsRow> {

	private final StringWriter buffer = new StringWriter(1024);

	private final ICSVWriter csv = new CSVWriterBuilder(this.buffer).withSeparator(DpsFileFormat.SEPARATOR)
		.withQuoteChar(DpsFileFormat.QUOTE)
		.withEscapeChar(DpsFileFormat.QUOTE)
		.withLineEnd("")
		.build();

	@Override
	public String aggregate(DpsRow row) {
		return format(row.fields());
	}

	public String header() {
		return format(DpsFileFormat.COLUMNS.toArray(String[]::new));
	}

	private String format(String[] fields) {
		this.buffer.getBuffer().setLength(0);
		this.csv.writeNext(fields, true);
		try {
			this.csv.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this.buffer.toString();
	}

}

package uk.nhs.vaccinations.dpsexport.dps;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;

/**
 * DPS's receiving side, for the local run and the tests: judges each file that reaches the DPS
 * mailbox as NHS England's pipeline does (format doc, "What DPS checks"), in order: the name (from
 * {@code mex-filename}), including the supplier's permissions and names already seen; the header;
 * then each row by DPS's rules and by what DPS already holds of its record across files. A file
 * that fails its name or header is lost whole; a failed row is reported and the rest go on.
 *
 * <p>The CSV is read with OpenCSV, not with the exporter's own scanner; the row rules are the
 * exporter's {@link DpsRowRules}, which {@code DpsRowRulesTest} pins to the format doc.
 */
public final class DpsReceiver {

	/** What DPS reports for one file: its InfAck (accepted or not) and its BusAck (the failed rows). */
	public record Verdict(String fileName, boolean accepted, String failure, int rows, List<String> failedRows) {

		/** Accepted, and every row recorded. */
		public boolean clean() {
			return this.accepted && this.failedRows.isEmpty();
		}

		@Override
		public String toString() {
			if (!this.accepted) {
				return this.fileName + ": FAILED, " + this.failure;
			}
			return this.fileName + ": accepted, " + this.rows + " rows"
					+ (this.failedRows.isEmpty() ? "" : ", " + this.failedRows.size() + " failed: " + this.failedRows);
		}

	}

	/** DPS's production supplier configuration for the school vaccination service (MAVIS). */
	public static final Map<String, Set<String>> SUPPLIER_PERMISSIONS = Map.of("V0V8L",
			Set.of("FLU", "HPV", "MENACWY", "3IN1"));

	private final DpsRowRules rules;

	private final Set<String> namesSeen = new HashSet<>();

	/** Identity (UNIQUE_ID_URI and UNIQUE_ID) to whether DPS holds the record, undeleted. */
	private final Map<String, Boolean> held = new HashMap<>();

	public DpsReceiver(Clock clock) {
		this.rules = new DpsRowRules(clock);
	}

	public DpsReceiver() {
		this(Clock.systemUTC());
	}

	public synchronized Verdict receive(String fileName, byte[] payload) throws Exception {
		String nameProblem = nameProblem(fileName);
		if (nameProblem != null) {
			return new Verdict(fileName, false, nameProblem, 0, List.of());
		}
		this.namesSeen.add(fileName.toUpperCase(Locale.ROOT));
		if (payload.length >= 3 && (payload[0] & 0xFF) == 0xEF && (payload[1] & 0xFF) == 0xBB
				&& (payload[2] & 0xFF) == 0xBF) {
			return new Verdict(fileName, false, "the header starts with a byte-order mark", 0, List.of());
		}
		List<String> failed = new ArrayList<>();
		int rows = 0;
		try (CSVReader reader = new CSVReaderBuilder(new StringReader(new String(payload, StandardCharsets.UTF_8)))
			.withCSVParser(new CSVParserBuilder().withSeparator('|').withQuoteChar('"').build())
			.build()) {
			String[] header = reader.readNext();
			if (header == null || !List.of(header).equals(DpsFileFormat.COLUMNS)) {
				return new Verdict(fileName, false, "the header is not the 34 DPS columns in order", 0, List.of());
			}
			String[] row;
			while ((row = reader.readNext()) != null) {
				rows++;
				String problem = rowProblem(row);
				if (problem != null) {
					failed.add("row " + rows + (row.length > 9 ? " (" + row[9] + ")" : "") + ": " + problem);
				}
			}
		}
		return new Verdict(fileName, true, null, rows, failed);
	}

	private String nameProblem(String fileName) {
		if (fileName == null) {
			return "no mex-filename: DPS drops the file";
		}
		String[] parts = fileName.toUpperCase(Locale.ROOT).split("_");
		if (parts.length == 5) {
			Set<String> permitted = SUPPLIER_PERMISSIONS.get(parts[3]);
			if (permitted == null) {
				return "supplier ODS code " + parts[3] + " is not registered at DPS";
			}
			String problem = DpsFileName.problem(fileName, parts[3]).orElse(null);
			if (problem == null && !permitted.contains(parts[0])) {
				problem = "supplier " + parts[3] + " may not send " + parts[0];
			}
			if (problem == null && this.namesSeen.contains(fileName.toUpperCase(Locale.ROOT))) {
				problem = "a file named " + fileName + " was processed before (duplicate file)";
			}
			return problem;
		}
		return DpsFileName.problem(fileName, "?").orElse("invalid file key format");
	}

	private String rowProblem(String[] row) {
		if (row.length != DpsFileFormat.COLUMNS.size()) {
			return row.length + " fields, not " + DpsFileFormat.COLUMNS.size();
		}
		List<DpsRowRules.Violation> violations = this.rules.check(row);
		if (!violations.isEmpty()) {
			return violations.toString();
		}
		String identity = row[10] + "|" + row[9];
		boolean holds = this.held.getOrDefault(identity, false);
		switch (row[11].toLowerCase(Locale.ROOT)) {
			case "new" -> {
				if (holds) {
					return "NEW for a record DPS already holds (duplicate)";
				}
				this.held.put(identity, true);
			}
			case "update" -> {
				if (!holds) {
					return "UPDATE for a record DPS does not hold (does not exist)";
				}
			}
			default -> {
				if (!holds) {
					return "DELETE for a record DPS does not hold (does not exist)";
				}
				this.held.put(identity, false);
			}
		}
		return null;
	}

}

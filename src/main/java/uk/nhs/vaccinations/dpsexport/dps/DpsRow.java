package uk.nhs.vaccinations.dpsexport.dps;

import java.util.UUID;

/** One line of a DPS file: the 34 field values in column order, never null. */
public record DpsRow(UUID uniqueId, String[] fields) {

	public DpsRow {
		if (fields.length != DpsFileFormat.COLUMNS.size()) {
			throw new IllegalArgumentException("A DPS row has " + DpsFileFormat.COLUMNS.size() + " fields, not "
					+ fields.length);
		}
	}

	public String field(String column) {
		return this.fields[DpsFileFormat.COLUMNS.indexOf(column)];
	}

}

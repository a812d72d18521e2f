package uk.nhs.vaccinations.dpsexport.exports;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The life of a dps_exports row; see ../shared/docs/export-design.md. */
public enum ExportStatus {

	CLAIMED, WRITTEN, UPLOADING, UPLOADED, SENT, ACKNOWLEDGED, UNDELIVERABLE;

	/** Exports in these states still hold their records: no other export may claim them. */
	public static final Set<ExportStatus> UNFINISHED = EnumSet.of(CLAIMED, WRITTEN, UPLOADING, UPLOADED);

	/** {@link #UNFINISHED} as an SQL list, such as {@code ('CLAIMED', 'WRITTEN')}. */
	static final String UNFINISHED_SQL = UNFINISHED.stream()
		.map(status -> "'" + status.name() + "'")
		.collect(Collectors.joining(", ", "(", ")"));

}

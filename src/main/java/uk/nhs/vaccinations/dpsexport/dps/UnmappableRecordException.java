package uk.nhs.vaccinations.dpsexport.dps;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A claimed record that cannot become a row DPS would accept; the export rejects it with the
 * DPS column at fault and a reason a person can act on, and the record stays unsent until fixed.
 */
public class UnmappableRecordException extends RuntimeException {

	private final UUID recordUuid;

	private final String column;

	private final String reason;

	public UnmappableRecordException(UUID recordUuid, String column, String reason) {
		super((recordUuid == null ? "A vaccination record" : "Vaccination record " + recordUuid)
				+ " cannot be sent to DPS: " + reason);
		this.recordUuid = recordUuid;
		this.column = column;
		this.reason = reason;
	}

	/** A row DPS's own checks would fail: every column at fault, in column order. */
	public UnmappableRecordException(UUID recordUuid, List<DpsRowRules.Violation> violations) {
		this(recordUuid, violations.stream().map(DpsRowRules.Violation::column).distinct().collect(Collectors.joining(",")),
				violations.stream().map(DpsRowRules.Violation::reason).collect(Collectors.joining("; ")));
	}

	public UUID recordUuid() {
		return this.recordUuid;
	}

	/** The DPS column (or comma-separated columns) at fault. */
	public String column() {
		return this.column;
	}

	public String reason() {
		return this.reason;
	}

}

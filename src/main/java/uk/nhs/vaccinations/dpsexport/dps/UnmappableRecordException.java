package uk.nhs.vaccinations.dpsexport.dps;

import java.util.UUID;

/** A claimed record that cannot become a valid DPS row; the export skips it and records why. */
public class UnmappableRecordException extends RuntimeException {

	private final UUID recordUuid;

	private final String reason;

	public UnmappableRecordException(UUID recordUuid, String reason) {
		super("Vaccination record " + recordUuid + " cannot be sent to DPS: " + reason);
		this.recordUuid = recordUuid;
		this.reason = reason;
	}

	public UUID recordUuid() {
		return this.recordUuid;
	}

	public String reason() {
		return this.reason;
	}

}

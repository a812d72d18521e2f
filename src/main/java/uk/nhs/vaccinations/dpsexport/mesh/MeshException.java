package uk.nhs.vaccinations.dpsexport.mesh;

/**
 * A MESH call that failed: the operation, the mailbox, and what MESH said (HTTP status, MESH
 * error code and description) where it answered. Never carries a secret or a token.
 *
 * <p>{@link #outcomeUnknown()} tells a failure after which MESH may still have acted on the
 * request (no reply, a 5xx, a reply that could not be read) from one where it certainly did not
 * (refused with a 4xx, or never reached).
 */
public class MeshException extends RuntimeException {

	private final String operation;

	private final String mailbox;

	private final int httpStatus;

	private final String errorCode;

	private final String errorDescription;

	private final boolean outcomeUnknown;

	public MeshException(String operation, String mailbox, int httpStatus, String errorCode, String errorDescription,
			Throwable cause) {
		this(operation, mailbox, httpStatus, errorCode, errorDescription, false, cause);
	}

	public MeshException(String operation, String mailbox, int httpStatus, String errorCode, String errorDescription,
			boolean outcomeUnknown, Throwable cause) {
		super(message(operation, mailbox, httpStatus, errorCode, errorDescription), cause);
		this.outcomeUnknown = outcomeUnknown;
		this.operation = operation;
		this.mailbox = mailbox;
		this.httpStatus = httpStatus;
		this.errorCode = errorCode;
		this.errorDescription = errorDescription;
	}

	private static String message(String operation, String mailbox, int status, String code, String description) {
		StringBuilder text = new StringBuilder("MESH ").append(operation).append(" for mailbox ").append(mailbox)
			.append(" failed");
		if (status > 0) {
			text.append(": HTTP ").append(status);
		}
		if (code != null && !code.isEmpty()) {
			text.append(", MESH error ").append(code);
		}
		if (description != null && !description.isEmpty()) {
			text.append(status > 0 ? " - " : ": ").append(description);
		}
		return text.toString();
	}

	public String operation() {
		return this.operation;
	}

	public String mailbox() {
		return this.mailbox;
	}

	/** 0 when MESH never answered (connection or TLS failure). */
	public int httpStatus() {
		return this.httpStatus;
	}

	public String errorCode() {
		return this.errorCode;
	}

	public String errorDescription() {
		return this.errorDescription;
	}

	/** MESH may have carried out the request although the call failed. */
	public boolean outcomeUnknown() {
		return this.outcomeUnknown;
	}

}

package uk.nhs.vaccinations.dpsexport.mesh;

/**
 * The first POST of a message may or may not have reached MESH, and a look-up by its local id
 * found nothing (yet). Sending again now could deliver the file twice: MESH may store a request
 * it received after the client gave up on it. The caller records the uncertainty and sends
 * again only once a look-up still finds nothing after a settle time.
 */
public class SendOutcomeUnknownException extends MeshException {

	private final String localId;

	public SendOutcomeUnknownException(String operation, String mailbox, String localId, MeshException cause) {
		super(operation, mailbox, cause.httpStatus(), cause.errorCode(),
				"outcome unknown (" + cause.getMessage() + ") and MESH has no message with local id " + localId
						+ " yet; not sent again now",
				true, cause);
		this.localId = localId;
	}

	public String localId() {
		return this.localId;
	}

}

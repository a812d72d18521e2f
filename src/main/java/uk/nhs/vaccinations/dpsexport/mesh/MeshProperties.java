package uk.nhs.vaccinations.dpsexport.mesh;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * MESH settings ({@code mesh.*}). Secrets come from the environment (MESH_PASSWORD,
 * MESH_SHARED_KEY, MESH_PRIVATE_KEY, MESH_PRIVATE_KEY_PASSPHRASE) and never appear in
 * {@link #toString()} or in validation messages. The connection settings are required only
 * when a MESH client is built ({@link #requireConnectionSettings()}): with {@code mesh.jobs-enabled}
 * on, by a command that talks to MESH, so MESH can be switched off and {@code status} needs no secrets.
 *
 * @param certificate the client certificate: PEM text or a file path
 * @param privateKey the client's RSA private key, usually encrypted: PEM text or a file path
 * @param caBundle the only trust anchors for the server (root first, then sub-CA): PEM text or a path
 * @param chunkSize uncompressed bytes per chunk; larger messages are sent in chunks
 * @param maxAttempts tries per call (first included) for retryable failures
 * @param sendSettleTime after a first POST whose outcome is unknown, how long before the message may be
 *     sent again if MESH still has none with its local id: longer than MESH can take to store a request it
 *     received. The default, 20 minutes, is twice the 10 minutes the official client allows one request.
 */
@ConfigurationProperties("mesh")
public record MeshProperties(@DefaultValue("false") boolean jobsEnabled, URI baseUrl, String mailbox,
		String password, String sharedKey, String dpsMailbox, @DefaultValue("dps export") String workflowId,
		String certificate, String privateKey, String privateKeyPassphrase, String caBundle,
		@DefaultValue("false") boolean disableSslVerification, @DefaultValue("75MB") DataSize chunkSize,
		@DefaultValue("30s") Duration connectTimeout, @DefaultValue("10m") Duration responseTimeout,
		@DefaultValue("5") int maxAttempts, @DefaultValue("2s") Duration initialBackoff,
		@DefaultValue("60s") Duration maxBackoff, @DefaultValue("20m") Duration sendSettleTime) {

	private static final DataSize MIN_CHUNK = DataSize.ofKilobytes(1);

	private static final DataSize MAX_CHUNK = DataSize.ofMegabytes(100);

	public MeshProperties {
		List<String> problems = new ArrayList<>();
		if (baseUrl != null && !"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
			problems.add("mesh.base-url must be an http or https URL");
		}
		if (chunkSize.compareTo(MIN_CHUNK) < 0 || chunkSize.compareTo(MAX_CHUNK) > 0) {
			problems.add("mesh.chunk-size must be between 1KB and 100MB (MESH's limit for one chunk), not " + chunkSize);
		}
		positive(problems, connectTimeout, "mesh.connect-timeout");
		positive(problems, responseTimeout, "mesh.response-timeout");
		positive(problems, initialBackoff, "mesh.initial-backoff");
		positive(problems, maxBackoff, "mesh.max-backoff");
		positive(problems, sendSettleTime, "mesh.send-settle-time");
		if (maxAttempts < 1 || maxAttempts > 20) {
			problems.add("mesh.max-attempts must be between 1 and 20, not " + maxAttempts);
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("Invalid MESH settings: " + String.join("; ", problems));
		}
	}

	/**
	 * Checks what connecting to MESH needs, when the client is built: the commands that only read
	 * the database (status) run without MESH's secrets even with MESH jobs on.
	 */
	public void requireConnectionSettings() {
		List<String> problems = new ArrayList<>();
		required(problems, this.baseUrl == null ? null : this.baseUrl.toString(), "mesh.base-url", "MESH_BASE_URL");
		required(problems, this.mailbox, "mesh.mailbox", "MESH_MAILBOX");
		required(problems, this.password, "mesh.password", "MESH_PASSWORD");
		required(problems, this.sharedKey, "mesh.shared-key", "MESH_SHARED_KEY");
		required(problems, this.dpsMailbox, "mesh.dps-mailbox", "MESH_DPS_MAILBOX");
		required(problems, this.workflowId, "mesh.workflow-id", "MESH_WORKFLOW_ID");
		if ((this.certificate == null) != (this.privateKey == null)) {
			problems.add("mesh.certificate and mesh.private-key go together: set both for mutual TLS, or neither");
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("Invalid MESH settings: " + String.join("; ", problems));
		}
	}

	private static void required(List<String> problems, String value, String name, String envVar) {
		if (value == null || value.isBlank()) {
			problems.add(name + " is required when mesh.jobs-enabled is true (set " + envVar + ")");
		}
	}

	private static void positive(List<String> problems, Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			problems.add(name + " must be a positive duration such as 30s");
		}
	}

	public boolean mutualTls() {
		return this.certificate != null && this.privateKey != null;
	}

	@Override
	public String toString() {
		return "MeshProperties[jobsEnabled=" + this.jobsEnabled + ", baseUrl=" + this.baseUrl + ", mailbox="
				+ this.mailbox + ", password=" + redacted(this.password) + ", sharedKey=" + redacted(this.sharedKey)
				+ ", dpsMailbox=" + this.dpsMailbox + ", workflowId=" + this.workflowId + ", mutualTls="
				+ mutualTls() + ", privateKeyPassphrase=" + redacted(this.privateKeyPassphrase) + ", caBundle="
				+ (this.caBundle != null) + ", disableSslVerification=" + this.disableSslVerification + ", chunkSize="
				+ this.chunkSize + "]";
	}

	private static String redacted(String secret) {
		return secret == null ? "(unset)" : "(set)";
	}

}

package uk.nhs.vaccinations.dpsexport.mesh;

import java.net.URI;
import java.time.Duration;

import org.springframework.util.unit.DataSize;

/** Builds {@link MeshProperties} for tests, with fast retries. */
public final class MeshSettings {

	URI baseUrl;

	String mailbox = "X26ABC1";

	String password = "password";

	String sharedKey = "TestKey";

	String dpsMailbox = "X26ABC2";

	String workflowId = "dps export";

	String certificate;

	String privateKey;

	String passphrase;

	String caBundle;

	boolean disableSslVerification;

	DataSize chunkSize = DataSize.ofMegabytes(75);

	int maxAttempts = 5;

	Duration initialBackoff = Duration.ofMillis(10);

	Duration sendSettleTime = Duration.ofMinutes(20);

	Duration responseTimeout = Duration.ofSeconds(30);

	Duration maxBackoff = Duration.ofMillis(200);

	public static MeshSettings to(URI baseUrl) {
		MeshSettings settings = new MeshSettings();
		settings.baseUrl = baseUrl;
		return settings;
	}

	public MeshSettings mailbox(String mailbox, String password) {
		this.mailbox = mailbox;
		this.password = password;
		return this;
	}

	public MeshSettings sharedKey(String sharedKey) {
		this.sharedKey = sharedKey;
		return this;
	}

	public MeshSettings dpsMailbox(String dpsMailbox) {
		this.dpsMailbox = dpsMailbox;
		return this;
	}

	public MeshSettings tls(String certificate, String privateKey, String passphrase, String caBundle) {
		this.certificate = certificate;
		this.privateKey = privateKey;
		this.passphrase = passphrase;
		this.caBundle = caBundle;
		return this;
	}

	public MeshSettings chunkSize(DataSize chunkSize) {
		this.chunkSize = chunkSize;
		return this;
	}

	public MeshSettings sendSettleTime(Duration sendSettleTime) {
		this.sendSettleTime = sendSettleTime;
		return this;
	}

	public MeshSettings responseTimeout(Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
		return this;
	}

	public MeshSettings maxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
		return this;
	}

	public MeshSettings maxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
		return this;
	}

	public MeshProperties build() {
		return new MeshProperties(true, this.baseUrl, this.mailbox, this.password, this.sharedKey, this.dpsMailbox,
				this.workflowId, this.certificate, this.privateKey, this.passphrase, this.caBundle,
				this.disableSslVerification, this.chunkSize, Duration.ofSeconds(5), this.responseTimeout,
				this.maxAttempts, this.initialBackoff, this.maxBackoff, this.sendSettleTime);
	}

}

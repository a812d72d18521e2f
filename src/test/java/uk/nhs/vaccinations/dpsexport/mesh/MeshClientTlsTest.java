package uk.nhs.vaccinations.dpsexport.mesh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.OutgoingMessage;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mutual TLS with certificates made at test time; and no secret in any log line. */
@ExtendWith(OutputCaptureExtension.class)
class MeshClientTlsTest {

	private static final Logger log = LoggerFactory.getLogger(MeshClientTlsTest.class);

	static final String PASSWORD = "Mesh-Pa55word-7f3k";

	static final String SHARED_KEY = "Shared-K3y-q9z2";

	static final String PASSPHRASE = "Key-Pa55phrase-w8v1";

	static TestPki pki;

	static MeshSandbox sandbox;

	@TempDir
	Path dir;

	@BeforeAll
	static void start() {
		pki = TestPki.create("X26ABC1");
		sandbox = MeshSandbox.start(pki.serverContext(), true, Map.of("X26ABC1", PASSWORD, "X26ABC2", PASSWORD),
				SHARED_KEY);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	MeshSettings settings() {
		return MeshSettings.to(sandbox.baseUrl())
			.mailbox("X26ABC1", PASSWORD)
			.sharedKey(SHARED_KEY)
			.tls(pki.clientCertificatePem(), pki.clientKeyPkcs8Encrypted(PASSPHRASE), PASSPHRASE, pki.caBundlePem());
	}

	@Test
	void handshakeAndChunkedSendOverMutualTlsWithAnEncryptedPkcs8Key() throws Exception {
		sandbox.reset();
		try (MeshClient client = new MeshClient(settings().chunkSize(DataSize.ofKilobytes(1)).build())) {
			assertThat(client.handshake()).isEqualTo("X26ABC1");
			Path file = Files.writeString(this.dir.resolve("tls.csv"), "\"a\"|\"b\"\n".repeat(400));
			client.send(file, new OutgoingMessage("X26ABC2", "dps export", "tls.csv", "tls-1", null));
			assertThat(sandbox.messages()).singleElement()
				.satisfies(m -> assertThat(m.payload()).isEqualTo(Files.readAllBytes(file)));
		}
	}

	@Test
	void theTraditionalOpenSslEncryptedKeyFormatWorksToo() throws Exception {
		String key = pki.clientKeyTraditionalEncrypted(PASSPHRASE);
		assertThat(key).contains("Proc-Type: 4,ENCRYPTED");
		try (MeshClient client = new MeshClient(settings().tls(pki.clientCertificatePem(), key, PASSPHRASE,
				pki.caBundlePem()).build())) {
			assertThat(client.handshake()).isEqualTo("X26ABC1");
		}
	}

	@Test
	void pemSettingsMayBeFilePaths() throws Exception {
		Path cert = Files.writeString(this.dir.resolve("client.crt"), pki.clientCertificatePem());
		Path key = Files.writeString(this.dir.resolve("client.key"), pki.clientKeyPkcs8Encrypted(PASSPHRASE));
		Path ca = Files.writeString(this.dir.resolve("ca-bundle.pem"), pki.caBundlePem());
		try (MeshClient client = new MeshClient(
				settings().tls(cert.toString(), key.toString(), PASSPHRASE, ca.toString()).build())) {
			assertThat(client.handshake()).isEqualTo("X26ABC1");
		}
	}

	@Test
	void aServerOutsideTheCaBundleIsRefused() throws Exception {
		TestPki other = TestPki.create("X26ABC1");
		try (MeshClient client = new MeshClient(settings().tls(pki.clientCertificatePem(),
				pki.clientKeyPkcs8Encrypted(PASSPHRASE), PASSPHRASE, other.caBundlePem()).build())) {
			assertThatThrownBy(client::handshake).isInstanceOfSatisfying(MeshException.class, ex -> {
				assertThat(ex.httpStatus()).isZero();
				assertThat(ex.getMessage()).contains("TLS handshake with localhost failed");
			});
		}
	}

	@Test
	void withoutAClientCertificateTheServerRefusesTheConnection() throws Exception {
		int requestsBefore = sandbox.authorizationHeaders().size();
		try (MeshClient client = new MeshClient(settings().tls(null, null, null, pki.caBundlePem()).maxAttempts(1).build())) {
			// Under TLS 1.3 the server refuses after the client's side of the handshake, so the
			// client sees an alert, a closed connection or no response, depending on timing.
			assertThatThrownBy(client::handshake).isInstanceOfSatisfying(MeshException.class,
					ex -> assertThat(ex.httpStatus()).as(ex.getMessage()).isZero());
		}
		assertThat(sandbox.authorizationHeaders()).as("no request got past TLS").hasSize(requestsBefore);
	}

	@Test
	void aWrongPassphraseIsAClearConfigurationError() {
		assertThatThrownBy(() -> new MeshClient(settings().tls(pki.clientCertificatePem(),
				pki.clientKeyPkcs8Encrypted(PASSPHRASE), "wrong-passphrase", pki.caBundlePem()).build()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("mesh.private-key-passphrase does not decrypt mesh.private-key (wrong passphrase or damaged key)");
		assertThatThrownBy(() -> new MeshClient(settings().tls(pki.clientCertificatePem(),
				pki.clientKeyTraditionalEncrypted(PASSPHRASE), "wrong-passphrase", pki.caBundlePem()).build()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("mesh.private-key-passphrase does not decrypt");
	}

	@Test
	void noSecretOrTokenReachesTheLogs(CapturedOutput output) throws Exception {
		sandbox.reset();
		String keyPem = pki.clientKeyPkcs8Encrypted(PASSPHRASE);
		MeshProperties properties = settings().tls(pki.clientCertificatePem(), keyPem, PASSPHRASE, pki.caBundlePem())
			.build();
		log.info("Settings in use: {}", properties);
		try (MeshClient client = new MeshClient(properties)) {
			client.handshake();
			sandbox.failNext(2, 503);
			client.handshake();
			sandbox.loseNextResponse(MeshSandbox.post("/outbox"));
			Path file = Files.writeString(this.dir.resolve("log.csv"), "x\n");
			client.send(file, new OutgoingMessage("X26ABC2", "dps export", "log.csv", "log-1", null));
		}
		for (MeshSettings wrong : new MeshSettings[] { settings().mailbox("X26ABC1", PASSWORD + "x"),
				settings().sharedKey(SHARED_KEY + "x"),
				settings().tls(pki.clientCertificatePem(), keyPem, PASSPHRASE + "x", pki.caBundlePem()),
				settings().tls(pki.clientCertificatePem(), "not-a-key-" + PASSPHRASE, PASSPHRASE, pki.caBundlePem()) }) {
			try (MeshClient client = new MeshClient(wrong.build())) {
				client.handshake();
			}
			catch (RuntimeException ex) {
				log.error("Expected failure", ex);
			}
		}

		String logs = output.getAll();
		assertThat(logs).contains("Settings in use").contains("Expected failure").contains("HTTP 403");
		assertThat(logs).doesNotContain(PASSWORD).doesNotContain(SHARED_KEY).doesNotContain(PASSPHRASE);
		assertThat(logs).doesNotContain(keyPem.lines().skip(2).findFirst().orElseThrow());
		assertThat(sandbox.authorizationHeaders()).isNotEmpty().allSatisfy(token -> {
			assertThat(logs).doesNotContain(token);
			assertThat(logs).doesNotContain(token.substring(token.lastIndexOf(':') + 1));
		});
	}

}

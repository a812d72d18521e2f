package uk.nhs.vaccinations.dpsexport.mesh.sandbox;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI shaped like the NHS one: a root CA, a sub-CA under it, a server certificate
 * for localhost and a client certificate with a MESH common name
 * ({@code <mailbox>.<ods>.api.mesh-client.nhs.uk}), all signed by the sub-CA.
 */
public final class TestPki {

	private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

	private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

	public final KeyPair rootKey;

	public final X509Certificate root;

	public final KeyPair subKey;

	public final X509Certificate sub;

	public final KeyPair serverKey;

	public final X509Certificate server;

	public final KeyPair clientKey;

	public final X509Certificate client;

	private TestPki(String clientMailbox) throws GeneralSecurityException, Exception {
		this.rootKey = rsa();
		this.root = sign(new X500Name("CN=Test NHS Root CA"), this.rootKey, new X500Name("CN=Test NHS Root CA"),
				this.rootKey, true, null);
		this.subKey = rsa();
		this.sub = sign(new X500Name("CN=Test NHS INT Sub CA"), this.subKey, new X500Name("CN=Test NHS Root CA"),
				this.rootKey, true, null);
		this.serverKey = rsa();
		this.server = sign(new X500Name("CN=localhost"), this.serverKey, new X500Name("CN=Test NHS INT Sub CA"),
				this.subKey, false, new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
						new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
		this.clientKey = rsa();
		this.client = sign(new X500Name("CN=" + clientMailbox + ".X26.api.mesh-client.nhs.uk"), this.clientKey,
				new X500Name("CN=Test NHS INT Sub CA"), this.subKey, false, null);
	}

	public static TestPki create(String clientMailbox) {
		try {
			return new TestPki(clientMailbox);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not build the test PKI", ex);
		}
	}

	public String clientCertificatePem() {
		return pem(this.client);
	}

	/** Root first, then the sub-CA, as the NHS bundles are ordered. */
	public String caBundlePem() {
		return pem(this.root) + pem(this.sub);
	}

	/** {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} (PKCS#8, AES-256-CBC). */
	public String clientKeyPkcs8Encrypted(String passphrase) {
		try {
			var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
				.setProvider(BC)
				.setPassword(passphrase.toCharArray())
				.build();
			return pem(new JcaPKCS8Generator(this.clientKey.getPrivate(), encryptor));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Traditional OpenSSL: {@code -----BEGIN RSA PRIVATE KEY-----} with {@code Proc-Type: 4,ENCRYPTED}. */
	public String clientKeyTraditionalEncrypted(String passphrase) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(this.clientKey.getPrivate(),
					new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(passphrase.toCharArray()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	/** The server side: presents localhost's chain and trusts client certificates under the root. */
	public SSLContext serverContext() {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("server", this.serverKey.getPrivate(), "x".toCharArray(),
					new X509Certificate[] { this.server, this.sub });
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(keys, "x".toCharArray());
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("root", this.root);
			trust.setCertificateEntry("sub", this.sub);
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair rsa() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
			boolean ca, GeneralNames altNames) throws Exception {
		Instant now = Instant.now();
		var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
				Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
				subjectKey.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
		builder.addExtension(Extension.keyUsage, true, ca ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
				: new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
		if (altNames != null) {
			builder.addExtension(Extension.subjectAlternativeName, false, altNames);
		}
		var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate());
		return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
	}

	private static String pem(Object object) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

}

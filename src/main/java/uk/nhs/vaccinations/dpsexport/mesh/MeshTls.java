package uk.nhs.vaccinations.dpsexport.mesh;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the client's TLS context from PEM settings as an operator receives them from the NHS:
 * a certificate, an RSA key (PKCS#8 {@code ENCRYPTED PRIVATE KEY}, traditional OpenSSL
 * {@code Proc-Type: 4,ENCRYPTED}, or unencrypted) and a CA bundle that becomes the only set of
 * trust anchors. Errors name the setting, never its value.
 */
public final class MeshTls {

	private static final Logger log = LoggerFactory.getLogger(MeshTls.class);

	/** Used directly, not registered JVM-wide: the PEM ciphers and OpenSSL's PBKDF exist only here. */
	private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

	private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

	private MeshTls() {
	}

	public static SSLContext sslContext(MeshProperties properties) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers(properties), trustManagers(properties), new SecureRandom());
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("MESH TLS settings could not be used: " + ex.getMessage(), ex);
		}
	}

	private static javax.net.ssl.KeyManager[] keyManagers(MeshProperties properties) throws GeneralSecurityException {
		if (!properties.mutualTls()) {
			return null;
		}
		List<X509Certificate> chain = certificates(properties.certificate(), "mesh.certificate");
		PrivateKey key = privateKey(properties.privateKey(), properties.privateKeyPassphrase());
		KeyStore store = KeyStore.getInstance("PKCS12");
		try {
			store.load(null, null);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		store.setKeyEntry("mesh-client", key, STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(store, STORE_PASSWORD);
		return factory.getKeyManagers();
	}

	private static TrustManager[] trustManagers(MeshProperties properties) throws GeneralSecurityException {
		if (properties.disableSslVerification()) {
			log.warn("!!! mesh.disable-ssl-verification is ON: the MESH server's certificate and host name are NOT "
					+ "checked. This is only for a local sandbox; never use it against INT or live. !!!");
			return new TrustManager[] { new TrustEverything() };
		}
		if (properties.caBundle() == null) {
			return null;
		}
		List<X509Certificate> anchors = certificates(properties.caBundle(), "mesh.ca-bundle");
		KeyStore store = KeyStore.getInstance("PKCS12");
		try {
			store.load(null, null);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		for (int i = 0; i < anchors.size(); i++) {
			store.setCertificateEntry("mesh-ca-" + i, anchors.get(i));
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory.getTrustManagers();
	}

	static List<X509Certificate> certificates(String valueOrPath, String setting) {
		List<X509Certificate> certificates = new ArrayList<>();
		JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
		try (PEMParser parser = new PEMParser(new StringReader(pem(valueOrPath, setting)))) {
			Object object;
			while ((object = parser.readObject()) != null) {
				if (object instanceof X509CertificateHolder holder) {
					certificates.add(converter.getCertificate(holder));
				}
			}
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalArgumentException(setting + " is not a readable PEM certificate: " + ex.getMessage(), ex);
		}
		if (certificates.isEmpty()) {
			throw new IllegalArgumentException(setting + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
		}
		return certificates;
	}

	static PrivateKey privateKey(String valueOrPath, String passphrase) {
		String setting = "mesh.private-key";
		JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(BC);
		try (PEMParser parser = new PEMParser(new StringReader(pem(valueOrPath, setting)))) {
			Object object = parser.readObject();
			if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
				requirePassphrase(passphrase);
				return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
						new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase.toCharArray())));
			}
			if (object instanceof PEMEncryptedKeyPair encrypted) {
				requirePassphrase(passphrase);
				return converter
					.getKeyPair(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(passphrase.toCharArray())))
					.getPrivate();
			}
			if (object instanceof PEMKeyPair pair) {
				return converter.getKeyPair(pair).getPrivate();
			}
			if (object instanceof PrivateKeyInfo info) {
				return converter.getPrivateKey(info);
			}
			throw new IllegalArgumentException(setting + " holds no PEM private key");
		}
		catch (PKCSException | PEMException | OperatorCreationException ex) {
			// Bouncy Castle's wording varies by format; what the operator needs to know does not.
			throw new IllegalArgumentException(
					"mesh.private-key-passphrase does not decrypt mesh.private-key (wrong passphrase or damaged key)");
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(setting + " is not a readable PEM private key: " + ex.getMessage(), ex);
		}
	}

	private static void requirePassphrase(String passphrase) {
		if (passphrase == null || passphrase.isEmpty()) {
			throw new IllegalArgumentException(
					"mesh.private-key is encrypted: set mesh.private-key-passphrase (MESH_PRIVATE_KEY_PASSPHRASE)");
		}
	}

	/** PEM text as given (secret stores often flatten newlines to \n), or the contents of a file. */
	static String pem(String valueOrPath, String setting) {
		if (valueOrPath.contains("-----BEGIN")) {
			return valueOrPath.contains("\n") ? valueOrPath : valueOrPath.replace("\\n", "\n");
		}
		String trimmed = valueOrPath.trim();
		boolean looksLikePath = trimmed.length() < 256 && !trimmed.contains("\n")
				&& (trimmed.contains("/") || trimmed.matches(".*\\.(pem|crt|cer|key)"));
		Path path = looksLikePath ? Path.of(trimmed) : null;
		if (path == null || !Files.isReadable(path)) {
			// Only a path is echoed: a mangled secret must not end up in the log.
			throw new IllegalArgumentException(setting + " is neither PEM text (-----BEGIN ...) nor a readable file"
					+ (looksLikePath ? ": " + path : " (value not shown)"));
		}
		try {
			return Files.readString(path, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(setting + " file " + path + " could not be read: " + ex.getMessage(), ex);
		}
	}

	private static final class TrustEverything implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}

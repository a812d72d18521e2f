package uk.nhs.vaccinations.dpsexport.mesh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code NHSMESH} Authorization token: HMAC-SHA256 with the environment's shared key over
 * {@code mailbox:nonce:nonce_count:password:timestamp}. A fresh nonce per request, because
 * MESH accepts each token once.
 */
public final class MeshAuth {

	static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

	private MeshAuth() {
	}

	public static String token(String mailbox, String password, String sharedKey, String nonce, int nonceCount,
			Instant time) {
		String mailboxId = mailbox.toUpperCase(Locale.ROOT);
		String timestamp = TIMESTAMP.format(time);
		String hash = hmac(sharedKey, mailboxId + ":" + nonce + ":" + nonceCount + ":" + password + ":" + timestamp);
		return "NHSMESH " + mailboxId + ":" + nonce + ":" + nonceCount + ":" + timestamp + ":" + hash;
	}

	public static String hmac(String key, String message) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

}

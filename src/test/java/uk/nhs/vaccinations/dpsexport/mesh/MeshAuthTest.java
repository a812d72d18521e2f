package uk.nhs.vaccinations.dpsexport.mesh;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeshAuthTest {

	@Test
	void tokenMatchesTheTestVectorOfTheProtocolDoc() {
		String token = MeshAuth.token("X26ABC1", "password", "TestKey", "deadbeef-dead-beef-dead-beef00031337", 1,
				Instant.parse("2022-02-22T22:22:00Z"));
		assertThat(token).isEqualTo("NHSMESH X26ABC1:deadbeef-dead-beef-dead-beef00031337:1:202202222222:"
				+ "6e27345bec8d29ea1a3c9d87870b0b5bc98ee510921616506bca1bbea7c66fd6");
	}

	@Test
	void mailboxIdInTheTokenIsUpperCase() {
		String token = MeshAuth.token("x26abc1", "password", "TestKey", "deadbeef-dead-beef-dead-beef00031337", 1,
				Instant.parse("2022-02-22T22:22:00Z"));
		assertThat(token).startsWith("NHSMESH X26ABC1:").endsWith(":6e27345bec8d29ea1a3c9d87870b0b5bc98ee510921616506bca1bbea7c66fd6");
	}

}

package uk.nhs.vaccinations.dpsexport.runs;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.support.PostgresTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two processes' leases on one database: one owner at a time, taken over only once expired or released. */
@PostgresTest
class RunLeaseTest {

	@Autowired
	JdbcClient jdbc;

	RunLease first;

	RunLease second;

	@BeforeEach
	void setUp() {
		this.jdbc.sql("TRUNCATE dps_run_leases").update();
		this.first = new RunLease(this.jdbc, Duration.ofSeconds(1));
		this.second = new RunLease(this.jdbc, Duration.ofSeconds(1));
	}

	@Test
	void oneOwnerAtATimeUntilItReleases() {
		assertThat(this.first.acquire(901, 1)).isTrue();

		assertThat(this.second.acquire(901, 2)).as("held by the first").isFalse();
		assertThat(this.second.isHeld(901)).isTrue();
		assertThat(this.second.describe(901)).get().asString().contains("holds its lease until");
		assertThatThrownBy(() -> this.second.check(901, "the first POST")).isInstanceOf(RunLease.LostException.class)
			.hasMessageContaining("stopping before the first POST");

		this.first.release(901);

		assertThat(this.second.acquire(901, 2)).isTrue();
		assertThatThrownBy(() -> this.first.check(901, "marking the export sent"))
			.as("the first, taken over, may not act any more").isInstanceOf(RunLease.LostException.class);
		this.second.check(901, "marking the export sent");
	}

	@Test
	void aLeaseNobodyRenewsExpiresAndMayThenBeTakenOver() {
		assertThat(this.first.acquire(902, 1)).isTrue();

		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !this.second.isHeld(902));

		assertThat(this.second.acquire(902, 2)).isTrue();
		assertThatThrownBy(() -> this.first.check(902, "sending chunk 3 of 9")).isInstanceOf(RunLease.LostException.class);
	}

}

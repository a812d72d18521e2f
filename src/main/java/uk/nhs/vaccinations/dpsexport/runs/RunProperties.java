package uk.nhs.vaccinations.dpsexport.runs;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of runs and their recovery ({@code dps.*}).
 *
 * @param runLeaseTtl how long a run's lease outlives its last heartbeat (renewed every quarter of it);
 *     longer than any database restart expected, since a live run must not be taken for dead
 */
@ConfigurationProperties("dps")
public record RunProperties(@DefaultValue("60s") Duration runLeaseTtl) {

	public RunProperties {
		if (runLeaseTtl.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("dps.run-lease-ttl must be at least 1s, such as 60s");
		}
	}

}

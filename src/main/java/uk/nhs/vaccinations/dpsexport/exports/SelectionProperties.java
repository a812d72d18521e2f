package uk.nhs.vaccinations.dpsexport.exports;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the nightly claim finds what changed ({@code dps.*}).
 *
 * @param changeOverlap how far before the last claim the next one looks again: more than the
 *     vaccination service's clocks can differ from the database's, since its records' updated_at may
 *     come from them
 */
@ConfigurationProperties("dps")
public record SelectionProperties(@DefaultValue("10m") Duration changeOverlap) {

	public SelectionProperties {
		if (changeOverlap.isNegative()) {
			throw new IllegalArgumentException("dps.change-overlap must be 0s or more, such as 10m");
		}
	}

}

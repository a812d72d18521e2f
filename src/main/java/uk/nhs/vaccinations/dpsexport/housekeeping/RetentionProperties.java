package uk.nhs.vaccinations.dpsexport.housekeeping;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long {@code prune} keeps what the exporter accumulates ({@code dps.retention.*}). Whatever
 * these say, it never removes what a restart or the next export needs: an unfinished export's
 * file and records, what DPS last got of each record, or a job that may still be restarted.
 *
 * @param files DPS files of finished exports, in {@code dps.output-dir}, kept for audit this long
 * @param exportRecords an export's records that a later delivery has superseded, kept this long
 * @param jobHistory Spring Batch's record of completed jobs, kept this long
 */
@ConfigurationProperties("dps.retention")
public record RetentionProperties(@DefaultValue("90d") Duration files, @DefaultValue("400d") Duration exportRecords,
		@DefaultValue("400d") Duration jobHistory) {

	public RetentionProperties {
		for (Duration keep : new Duration[] { files, exportRecords, jobHistory }) {
			if (keep.compareTo(Duration.ofDays(1)) < 0) {
				throw new IllegalArgumentException("dps.retention.* must each be at least 1d, such as 90d");
			}
		}
	}

}

package uk.nhs.vaccinations.dpsexport.exports;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * A dps_exports row: one programme's file for one run date.
 *
 * @param meshFirstPostAt when the latest first POST of its MESH message started, if MESH has not named the message
 * @param meshChunksSent how many chunks of its MESH message MESH has taken
 */
public record DpsExport(long id, UUID localId, Programme programme, LocalDate runDate, ExportStatus status,
		String fileName, Path filePath, int claimedCount, Integer rowCount, Integer rejectCount, Long fileSizeBytes,
		String fileSha256, String meshMessageId, Instant meshFirstPostAt, int meshChunksSent) {

}

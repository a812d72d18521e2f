package uk.nhs.vaccinations.dpsexport.export;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the DPS export ({@code dps.*}).
 *
 * @param outputDir where DPS files are written, one per programme and run date
 * @param uniqueIdUri the UNIQUE_ID_URI column: the namespace of the record UUIDs
 * @param chunkSize rows per chunk transaction in the file step
 * @param skipLimit unmappable records tolerated per export before the file step fails
 * @param parallelism how many programmes' exports run at once
 */
@Validated
@ConfigurationProperties("dps")
public record ExportProperties(@NotNull Path outputDir, @NotBlank String uniqueIdUri,
		@Min(1) @Max(100_000) int chunkSize, @Min(0) int skipLimit,
		@Min(1) @Max(4) int parallelism) {

}

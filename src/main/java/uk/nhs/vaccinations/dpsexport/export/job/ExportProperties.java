package uk.nhs.vaccinations.dpsexport.export.job;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileName;

/**
 * Settings of the DPS export ({@code dps.*}).
 *
 * @param outputDir where DPS files are written, one per programme and run date
 * @param uniqueIdUri the UNIQUE_ID_URI column: the namespace of the record UUIDs
 * @param chunkSize rows per chunk transaction in the file step
 * @param skipLimit unmappable records tolerated per export before the file step fails
 * @param parallelism how many programmes' exports run at once
 * @param supplierOdsCode the sender's ODS code at DPS, in every file name; DPS maps it to a supplier
 *     and what it may send, so it must be one DPS has registered
 */
@Validated
@ConfigurationProperties("dps")
public record ExportProperties(@NotNull Path outputDir, @NotBlank String uniqueIdUri,
		@Min(1) @Max(100_000) int chunkSize, @Min(0) int skipLimit,
		@Min(1) @Max(4) int parallelism,
		@NotBlank @Pattern(regexp = DpsFileName.ODS_CODE_PATTERN,
				message = "must be an ODS code of upper-case letters and digits, such as V0V8L") String supplierOdsCode) {

}

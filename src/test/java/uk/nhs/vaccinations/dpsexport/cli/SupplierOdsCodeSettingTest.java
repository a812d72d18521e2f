package uk.nhs.vaccinations.dpsexport.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/** dps.supplier-ods-code goes into every DPS file name, so a bad value must stop start-up. */
@ExtendWith(OutputCaptureExtension.class)
class SupplierOdsCodeSettingTest {

	@Test
	void aBadSupplierOdsCodeStopsStartUpWithCode78AndNamesTheSetting(CapturedOutput output) {
		String url = TestPostgres.createDatabase("bad_supplier_ods_code");

		int code = DpsMeshExportApplication.run("status", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.supplier-ods-code=v0v8l");

		assertThat(code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		// the last line, the one a scheduler shows, names the setting and where it was set, not the value
		assertThat(output).contains("dps-mesh-export did not start: Invalid setting dps.supplier-ods-code: must be an "
				+ "ODS code of upper-case letters and digits, such as V0V8L (set by \"dps.supplier-ods-code\" from "
				+ "property source \"commandLineArgs\")");
	}

	@Test
	void aSettingThatCannotBeReadOrIsRefusedIsNamedToo(CapturedOutput output) {
		String url = TestPostgres.createDatabase("unreadable_settings");

		int unreadable = DpsMeshExportApplication.run("status", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.run-lease-ttl=soon");
		int refused = DpsMeshExportApplication.run("status", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.run-lease-ttl=0s");

		assertThat(unreadable).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(output.getErr()).contains("dps-mesh-export did not start: Invalid setting dps.run-lease-ttl: "
				+ "cannot be read as a Duration (set by \"dps.run-lease-ttl\" from property source \"commandLineArgs\")");
		assertThat(refused).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(output.getErr()).contains("dps-mesh-export did not start: dps.run-lease-ttl must be at least 1s");
	}

	@Test
	void theDefaultIsTheSchoolVaccinationServicesCode(CapturedOutput output) {
		String url = TestPostgres.createDatabase("default_supplier_ods_code");

		// status names programmes from the source tables, which demo mode creates
		int code = DpsMeshExportApplication.run("status", "--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--dps.demo.enabled=true");

		assertThat(code).as(output.getAll()).isEqualTo(ExitCodes.OK);
	}

}

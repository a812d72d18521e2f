package uk.nhs.vaccinations.dpsexport.export.read;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import uk.nhs.vaccinations.dpsexport.export.read.ClaimedRecordReader.Column;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The COPY's SELECT list and the reader's mapping are one list of columns, checked as each is read. */
class ClaimedRecordReaderColumnsTest {

	@Test
	void theQuerySelectsEveryColumnOnceInTheOrderTheMappingReadsThem() {
		String selectList = ClaimedRecordReader.ROWS_SQL.substring("SELECT ".length(),
				ClaimedRecordReader.ROWS_SQL.indexOf("\nFROM "));
		assertThat(selectList.split(", ")).containsExactly(Arrays.stream(Column.values()).map(c -> c.sql).toArray(String[]::new));
		assertThat(selectList).startsWith("er.export_id, er.vaccination_record_id, vr.uuid, er.action_flag");
	}

	@Test
	void eachColumnIsExpectedAtItsOwnPlaceOnly() {
		for (Column column : Column.values()) {
			assertThatNoException().isThrownBy(() -> column.expectAt(column.ordinal()));
		}
	}

	@Test
	void aColumnReadOutOfTurnFailsNamingWhatWasReadAndWhatTheCopySends() {
		assertThatThrownBy(() -> Column.FAMILY_NAME.expectAt(Column.GIVEN_NAME.ordinal()))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("The export's row mapping reads FAMILY_NAME where the COPY sends GIVEN_NAME");
		assertThatThrownBy(() -> Column.EXPORT_ID.expectAt(Column.values().length))
			.hasMessage("The export's row mapping reads EXPORT_ID where the COPY sends no more columns");
	}

}

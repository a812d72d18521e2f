package uk.nhs.vaccinations.dpsexport.export.read;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.dps.VaccinationEvent;

import static uk.nhs.vaccinations.dpsexport.export.read.ClaimedRecordReader.Column.*;

/**
 * The file step's reader: an export's claimed records with their patients, in record id order,
 * streamed by {@code COPY (...) TO STDOUT (FORMAT binary)} on a connection of its own.
 *
 * <p>COPY rather than a cursor: PostgreSQL produces the same rows with about a quarter less CPU
 * (docs/performance.md), and the binary format carries timestamps, dates and UUIDs as stored, so
 * neither side formats or parses them as text. Without parallel workers: unlike a cursor, a COPY may get them,
 * and they finished the query no sooner while using more CPU in all, with the programmes already
 * exported side by side. What a row refers to in the small tables (programme, session,
 * vaccine, batch, user) comes from {@link ReferenceData}, read once per step.
 *
 * <p>Restart: the item count is saved with each chunk under {@code claimedRecordReader.read.count},
 * and reopening reads and discards that many rows; the order is the primary key's, so they are the
 * same rows.
 */
public class ClaimedRecordReader extends AbstractItemCountingItemStreamItemReader<VaccinationEvent>
		implements StepExecutionListener {

	/**
	 * The COPY's columns, in order. The SELECT list is made from them and {@link #map} names each as
	 * it reads it, so the query and the mapping cannot drift apart: a column read out of turn fails
	 * on the first row, naming both.
	 */
	enum Column {

		EXPORT_ID("er.export_id"), RECORD_ID("er.vaccination_record_id"), RECORD_UUID("vr.uuid"),
		ACTION_FLAG("er.action_flag"), PROGRAMME_ID("vr.programme_id"), NHS_NUMBER("pa.nhs_number"),
		GIVEN_NAME("pa.given_name"), FAMILY_NAME("pa.family_name"), DATE_OF_BIRTH("pa.date_of_birth"),
		GENDER_CODE("pa.gender_code::integer"), POSTCODE("pa.address_postcode"), PERFORMED_AT("vr.performed_at"),
		SESSION_ID("vr.session_id"), PERFORMED_BY_USER_ID("vr.performed_by_user_id"),
		PERFORMED_BY_GIVEN_NAME("vr.performed_by_given_name"), PERFORMED_BY_FAMILY_NAME("vr.performed_by_family_name"),
		CREATED_AT("vr.created_at"), DOSE_SEQUENCE("vr.dose_sequence"), VACCINE_ID("vr.vaccine_id"),
		FULL_DOSE("vr.full_dose"), BATCH_ID("vr.batch_id"), DELIVERY_SITE("vr.delivery_site"),
		DELIVERY_METHOD("vr.delivery_method");

		private static final Column[] ALL = values();

		final String sql;

		Column(String sql) {
			this.sql = sql;
		}

		/** Throws unless this column is the one at {@code field} (0-based) of the COPY's rows. */
		void expectAt(int field) {
			if (field != ordinal()) {
				throw new IllegalStateException("The export's row mapping reads " + this + " where the COPY sends "
						+ (field < ALL.length ? ALL[field] : "no more columns"));
			}
		}

	}

	/**
	 * Outer joins: a record deleted from the source after it was claimed still comes, with no uuid,
	 * so it is rejected rather than missing.
	 */
	static final String ROWS_SQL = Arrays.stream(Column.ALL).map(c -> c.sql).collect(Collectors.joining(", ", "SELECT ", "\n"))
			+ """
					FROM dps_export_records er
					LEFT JOIN vaccination_records vr ON vr.id = er.vaccination_record_id
					LEFT JOIN patients pa ON pa.id = vr.patient_id
					WHERE er.export_id = %d
					ORDER BY er.vaccination_record_id""";

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private long exportId;

	private ReferenceData reference;

	private Connection connection;

	private PGCopyInputStream copy;

	private BinaryCopyRows rows;

	private final String exportIdKey;

	/**
	 * Reads the export whose id an earlier step put in the job's context under {@code exportIdKey}:
	 * the step is built when the job starts, before that step has run.
	 */
	public ClaimedRecordReader(DataSource dataSource, JdbcClient jdbc, String exportIdKey) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.exportIdKey = exportIdKey;
		setName("claimedRecordReader");
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.exportId = stepExecution.getJobExecution().getExecutionContext().getLong(this.exportIdKey);
	}

	static String copySql(long exportId) {
		return "COPY (" + ROWS_SQL.formatted(exportId) + ") TO STDOUT (FORMAT binary)";
	}

	@Override
	protected void doOpen() throws Exception {
		this.reference = ReferenceData.load(this.jdbc);
		this.connection = this.dataSource.getConnection();
		// SET LOCAL, in a transaction of the reader's own: the setting ends with it, not with the pooled connection.
		this.connection.setAutoCommit(false);
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("SET LOCAL max_parallel_workers_per_gather = 0");
		}
		this.copy = new PGCopyInputStream(this.connection.unwrap(PGConnection.class), copySql(this.exportId));
		this.rows = new BinaryCopyRows(this.copy, Column.ALL.length);
	}

	@Override
	protected VaccinationEvent doRead() throws Exception {
		return this.rows.next() ? map() : null;
	}

	private VaccinationEvent map() throws IOException {
		long exportId = read(EXPORT_ID).int8();
		long recordId = read(RECORD_ID).int8();
		var uuid = read(RECORD_UUID).uuid();
		String actionFlag = read(ACTION_FLAG).text();
		Long programmeId = read(PROGRAMME_ID).int8();
		ReferenceData.ProgrammeCodes programme = programmeId == null ? null : this.reference.programme(programmeId);
		String nhsNumber = read(NHS_NUMBER).text();
		String givenName = read(GIVEN_NAME).text();
		String familyName = read(FAMILY_NAME).text();
		var dateOfBirth = read(DATE_OF_BIRTH).date();
		Integer genderCode = read(GENDER_CODE).int4();
		String postcode = read(POSTCODE).text();
		var performedAt = read(PERFORMED_AT).timestamptz();
		ReferenceData.Session session = this.reference.session(read(SESSION_ID).int8());
		ReferenceData.User user = this.reference.user(read(PERFORMED_BY_USER_ID).int8());
		// The recording user's name when there is one, else the free-text name on the record.
		String performerGivenName = read(PERFORMED_BY_GIVEN_NAME).text();
		String performerFamilyName = read(PERFORMED_BY_FAMILY_NAME).text();
		if (user != null) {
			performerGivenName = user.givenName();
			performerFamilyName = user.familyName();
		}
		var createdAt = read(CREATED_AT).timestamptz();
		Integer doseSequence = read(DOSE_SEQUENCE).int4();
		ReferenceData.Vaccine vaccine = this.reference.vaccine(read(VACCINE_ID).int8());
		boolean fullDose = Boolean.TRUE.equals(read(FULL_DOSE).bool());
		ReferenceData.Batch batch = this.reference.batch(read(BATCH_ID).int8());
		String deliverySite = read(DELIVERY_SITE).text();
		String deliveryMethod = read(DELIVERY_METHOD).text();
		return new VaccinationEvent(exportId, recordId, uuid, actionFlag, programme == null ? null : programme.type(),
				programme == null ? null : programme.procedureCode(), programme == null ? null : programme.procedureTerm(),
				nhsNumber, givenName, familyName, dateOfBirth, genderCode, postcode,
				performedAt, session == null ? null : session.organisationOdsCode(), performerGivenName,
				performerFamilyName, createdAt, doseSequence, vaccine == null ? null : vaccine.productCode(),
				vaccine == null ? null : vaccine.productTerm(), vaccine == null ? null : vaccine.manufacturer(),
				vaccine == null ? null : vaccine.doseVolumeMl(), fullDose, batch == null ? null : batch.name(),
				batch == null ? null : batch.expiry(), deliverySite, deliveryMethod,
				session == null ? null : session.locationType(), session == null ? null : session.locationUrn(),
				session == null ? null : session.locationOdsCode());
	}

	/** The rows, positioned at {@code column}: the mapping names every column it reads. */
	private BinaryCopyRows read(Column column) {
		column.expectAt(this.rows.field());
		return this.rows;
	}

	@Override
	protected void doClose() throws Exception {
		try {
			if (this.copy != null) {
				// A step that stops early leaves the COPY running. It is read to its end rather than
				// cancelled: a cancel request travels on a connection of its own and can reach the
				// server after the COPY has ended, cancelling whatever this pooled connection runs next.
				while (this.copy.readFromCopy() != null) {
					// discarded
				}
				this.copy.close();
			}
		}
		catch (SQLException ex) {
			throw new ItemStreamException("Could not end the COPY of export " + this.exportId, ex);
		}
		catch (IOException ex) {
			throw new ItemStreamException("Could not end the COPY of export " + this.exportId, ex);
		}
		finally {
			this.copy = null;
			this.rows = null;
			closeConnection();
		}
	}

	private void closeConnection() throws SQLException {
		if (this.connection != null) {
			try {
				this.connection.rollback();
				this.connection.close();
			}
			finally {
				this.connection = null;
			}
		}
	}

}

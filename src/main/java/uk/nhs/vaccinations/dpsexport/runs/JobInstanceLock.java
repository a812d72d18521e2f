package uk.nhs.vaccinations.dpsexport.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Proof of life for a running job instance: while an execution runs, its process holds a
 * PostgreSQL session advisory lock on a connection of its own. PostgreSQL drops the lock when
 * that connection closes, which the operating system does even for a SIGKILLed process. So a
 * STARTED execution whose lock can be taken was abandoned by a dead process and is safe to
 * recover and restart, wherever it ran.
 */
@Component
public class JobInstanceLock implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(JobInstanceLock.class);

	private static final String KEY = "hashtext(?), ?";

	private final DataSource dataSource;

	private final Map<Long, Connection> held = new ConcurrentHashMap<>();

	public JobInstanceLock(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public void beforeJob(JobExecution execution) {
		JobInstance instance = execution.getJobInstance();
		try {
			Connection connection = this.dataSource.getConnection();
			connection.setAutoCommit(true);
			if (!tryLock(connection, instance)) {
				connection.close();
				// Spring Batch's own check normally refuses first; this covers a repository that lagged.
				throw new IllegalStateException(instance.getJobName() + " instance " + instance.getInstanceId()
						+ " is running in another process");
			}
			this.held.put(execution.getId(), connection);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not take the run lock of " + instance.getJobName(), ex);
		}
	}

	@Override
	public void afterJob(JobExecution execution) {
		Connection connection = this.held.remove(execution.getId());
		if (connection != null) {
			try (connection; PreparedStatement unlock = connection
				.prepareStatement("SELECT pg_advisory_unlock(" + KEY + ")")) {
				bind(unlock, execution.getJobInstance());
				unlock.execute();
			}
			catch (SQLException ex) {
				log.warn("Could not release the run lock of {}; closing its connection releases it", execution, ex);
			}
		}
	}

	/** True when some live process holds the instance's lock, i.e. it is really running. */
	public boolean isHeld(JobInstance instance) {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			if (tryLock(connection, instance)) {
				try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(" + KEY + ")")) {
					bind(unlock, instance);
					unlock.execute();
				}
				return false;
			}
			return true;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not check the run lock of " + instance.getJobName(), ex);
		}
	}

	private static boolean tryLock(Connection connection, JobInstance instance) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
			bind(lock, instance);
			try (ResultSet rs = lock.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
	}

	private static void bind(PreparedStatement statement, JobInstance instance) throws SQLException {
		statement.setString(1, "batch:" + instance.getJobName());
		statement.setInt(2, (int) instance.getInstanceId());
	}

}

package uk.nhs.vaccinations.dpsexport.runs;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who may act for a job instance: a lease row (dps_run_leases) with an owner token, renewed by a
 * heartbeat while the execution runs and released only once its final status is saved.
 *
 * <p>Unlike a session lock, it survives a database restart: a live process whose connections were
 * dropped keeps its lease and renews it when the database is back, so no other process takes it
 * for dead. A process that died stops renewing, and its lease expires after dps.run-lease-ttl.
 * Every irreversible step of an export ({@link #check}) proves ownership inside the transaction
 * that records it, holding the lease row, so a process that lost its lease stops before acting.
 */
@Component
public class RunLease implements JobExecutionListener, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RunLease.class);

	/** This run lost its lease: another process took the instance over after it expired. */
	public static class LostException extends IllegalStateException {

		LostException(String message) {
			super(message);
		}

	}

	private final JdbcClient jdbc;

	private final Duration ttl;

	private final String owner = UUID.randomUUID().toString();

	private final String holder;

	private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "run-lease-heartbeat");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<Long, ScheduledFuture<?>> renewing = new ConcurrentHashMap<>();

	@Autowired
	public RunLease(JdbcClient jdbc, RunProperties properties) {
		this(jdbc, properties.runLeaseTtl());
	}

	RunLease(JdbcClient jdbc, Duration ttl) {
		this.jdbc = jdbc;
		this.ttl = ttl;
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown host";
		}
		this.holder = host + " pid " + ManagementFactory.getRuntimeMXBean().getPid();
	}

	@Override
	public void beforeJob(JobExecution execution) {
		long instance = execution.getJobInstance().getInstanceId();
		if (!acquire(instance, execution.getId())) {
			throw new IllegalStateException(execution.getJobInstance().getJobName() + " instance " + instance
					+ " is running elsewhere: " + describe(instance).orElse("its lease is held"));
		}
		long every = Math.max(200, this.ttl.toMillis() / 4);
		this.renewing.put(instance, this.heartbeat.scheduleWithFixedDelay(() -> renew(instance), every, every,
				TimeUnit.MILLISECONDS));
	}

	/** The lease stays until the final status is saved ({@link #release}), or expires if that never happens. */
	@Override
	public void afterJob(JobExecution execution) {
		ScheduledFuture<?> renewal = this.renewing.remove(execution.getJobInstance().getInstanceId());
		if (renewal != null) {
			renewal.cancel(false);
		}
	}

	boolean acquire(long instance, long execution) {
		return this.jdbc.sql("""
				INSERT INTO dps_run_leases (job_instance_id, job_execution_id, owner, holder, acquired_at, expires_at)
				VALUES (:instance, :execution, :owner, :holder, now(), now() + make_interval(secs => :ttl))
				ON CONFLICT (job_instance_id) DO UPDATE
				SET job_execution_id = EXCLUDED.job_execution_id, owner = EXCLUDED.owner, holder = EXCLUDED.holder,
				    acquired_at = now(), expires_at = EXCLUDED.expires_at
				WHERE dps_run_leases.expires_at <= now() OR dps_run_leases.owner = EXCLUDED.owner
				RETURNING owner""")
			.param("instance", instance)
			.param("execution", execution)
			.param("owner", this.owner)
			.param("holder", this.holder)
			.param("ttl", this.ttl.toMillis() / 1000.0)
			.query(String.class)
			.optional()
			.isPresent();
	}

	private void renew(long instance) {
		try {
			int renewed = this.jdbc.sql("UPDATE dps_run_leases SET expires_at = now() + make_interval(secs => :ttl) "
					+ "WHERE job_instance_id = :instance AND owner = :owner")
				.param("ttl", this.ttl.toMillis() / 1000.0)
				.param("instance", instance)
				.param("owner", this.owner)
				.update();
			if (renewed == 0) {
				log.error("The run lease of job instance {} was taken over by another process; this run stops "
						+ "before its next irreversible step", instance);
			}
		}
		catch (RuntimeException ex) {
			// the database may be restarting: the lease holds for its ttl, and the next beat tries again
			log.warn("Could not renew the run lease of job instance {}: {}", instance, ex.getMessage());
		}
	}

	/** Once the execution's final status is saved: from now on nobody can take it for a run that died. */
	public void release(long instance) {
		try {
			this.jdbc.sql("DELETE FROM dps_run_leases WHERE job_instance_id = :instance AND owner = :owner")
				.param("instance", instance)
				.param("owner", this.owner)
				.update();
		}
		catch (RuntimeException ex) {
			log.warn("Could not release the run lease of job instance {} (it expires by itself): {}", instance,
					ex.getMessage());
		}
	}

	/** True while some process holds the instance's lease, i.e. it may still be running. */
	public boolean isHeld(long instance) {
		return this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM dps_run_leases WHERE job_instance_id = :instance "
				+ "AND expires_at > now())").param("instance", instance).query(Boolean.class).single();
	}

	/** Who holds the instance's lease and until when, for messages. */
	public Optional<String> describe(long instance) {
		return this.jdbc.sql("SELECT holder || ' holds its lease until ' || to_char(expires_at AT TIME ZONE 'UTC', "
				+ "'YYYY-MM-DD HH24:MI:SS') || ' UTC' FROM dps_run_leases WHERE job_instance_id = :instance "
				+ "AND expires_at > now()").param("instance", instance).query(String.class).optional();
	}

	/**
	 * Proves this run still owns the instance before {@code action}: called inside the transaction
	 * that records the action, it holds the lease row until that transaction ends, so no other
	 * process can take the lease over in between.
	 */
	public void check(long instance, String action) {
		boolean owned = this.jdbc.sql("SELECT 1 FROM dps_run_leases WHERE job_instance_id = :instance "
				+ "AND owner = :owner AND expires_at > now() FOR SHARE")
			.param("instance", instance)
			.param("owner", this.owner)
			.query(Integer.class)
			.optional()
			.isPresent();
		if (!owned) {
			throw new LostException("This run no longer holds the lease of job instance " + instance
					+ " (another process took it over after the database was out of reach for longer than "
					+ "dps.run-lease-ttl); stopping before " + action);
		}
	}

	@Override
	public void destroy() {
		this.heartbeat.shutdownNow();
	}

}

package uk.nhs.vaccinations.dpsexport.mesh;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Which failed MESH calls are tried again, and after how long: for Spring's {@code RetryTemplate},
 * one per call, since the wait after a failure depends on that failure's {@code Retry-After}.
 *
 * <p>{@link Kind#IDEMPOTENT}: any failure MESH may recover from is tried again.
 * {@link Kind#ONLY_IF_NOT_RECEIVED}, for the first POST of a message: only failures after which MESH
 * certainly did not store it (it refused with 425 or 429, or was never reached); any other failure
 * ends the call with the outcome unknown, for the caller to look the message up rather than send
 * it twice. The wait is exponential with jitter between half and all of it, never sooner than
 * MESH's {@code Retry-After}; a {@code Retry-After} longer than {@code mesh.max-backoff} ends the retries.
 */
final class MeshRetryPolicy implements RetryPolicy, BackOff {

	private static final Logger log = LoggerFactory.getLogger(MeshRetryPolicy.class);

	enum Kind {

		IDEMPOTENT, ONLY_IF_NOT_RECEIVED

	}

	static final Set<Integer> RETRYABLE_STATUSES = Set.of(425, 429, 502, 503, 504);

	/** MESH refused these before doing anything. */
	private static final Set<Integer> REFUSED_UNREAD = Set.of(425, 429);

	private final Kind kind;

	private final MeshProperties properties;

	private final String operation;

	private final String mailbox;

	private final Consumer<Duration> waits;

	private MeshFailure last;

	private boolean retryAfterTooLong;

	MeshRetryPolicy(Kind kind, MeshProperties properties, String operation, String mailbox, Consumer<Duration> waits) {
		this.kind = kind;
		this.properties = properties;
		this.operation = operation;
		this.mailbox = mailbox;
		this.waits = waits;
	}

	@Override
	public boolean shouldRetry(Throwable failure) {
		if (!(failure instanceof MeshFailure attempt)) {
			return false;
		}
		this.last = attempt;
		if (attempt.cause instanceof SSLException) {
			return false;
		}
		boolean retryable = this.kind == Kind.IDEMPOTENT
				? attempt.notReached || attempt.unknown || RETRYABLE_STATUSES.contains(attempt.status)
				: attempt.notReached || REFUSED_UNREAD.contains(attempt.status);
		if (retryable && attempt.retryAfter != null && attempt.retryAfter.compareTo(this.properties.maxBackoff()) > 0) {
			this.retryAfterTooLong = true;
			return false;
		}
		return retryable;
	}

	@Override
	public BackOff getBackOff() {
		return this;
	}

	@Override
	public BackOffExecution start() {
		return new BackOffExecution() {
			private int attempt = 1;

			@Override
			public long nextBackOff() {
				if (this.attempt >= MeshRetryPolicy.this.properties.maxAttempts()) {
					return STOP;
				}
				Duration wait = backoff(this.attempt++);
				log.warn("MESH {} for mailbox {}: {}; retrying in {} ms (attempt {} of {})", MeshRetryPolicy.this.operation,
						MeshRetryPolicy.this.mailbox, MeshRetryPolicy.this.last.describe(), wait.toMillis(),
						this.attempt, MeshRetryPolicy.this.properties.maxAttempts());
				MeshRetryPolicy.this.waits.accept(wait);
				return wait.toMillis();
			}
		};
	}

	private Duration backoff(int attempt) {
		long cap = this.properties.maxBackoff().toMillis();
		long base = Math.min(cap, this.properties.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
		long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
		Duration retryAfter = this.last.retryAfter;
		return retryAfter == null ? Duration.ofMillis(delay) : Duration.ofMillis(Math.max(delay, retryAfter.toMillis()));
	}

	/** Why the call gave up, from its last attempt. */
	MeshException gaveUp() {
		if (this.retryAfterTooLong) {
			return new MeshException(this.operation, this.mailbox, this.last.status, null, "MESH asked to retry after "
					+ this.last.retryAfter.toSeconds() + " s, longer than mesh.max-backoff ("
					+ this.properties.maxBackoff().toSeconds() + " s)", this.last.unknown, null);
		}
		return this.last.toException(this.operation, this.mailbox);
	}

	/** Interrupted while waiting: the outcome is as unknown as the last attempt's. */
	MeshException interrupted(Throwable cause) {
		return new MeshException(this.operation, this.mailbox, 0, null, "interrupted while waiting to retry",
				this.last != null && this.last.unknown, cause);
	}

}

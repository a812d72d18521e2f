package uk.nhs.vaccinations.dpsexport.export.read;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads ahead of the step on a thread of its own, so PostgreSQL produces and the driver decodes
 * the next rows while the step maps and writes the current ones (a plain cursor reader leaves
 * one side idle while the other works). Restart state is the number of items the step has
 * consumed, not how far the read-ahead got: on restart the cursor reader skips exactly those.
 *
 * <p>Items cross between the threads in batches of {@value #BATCH}: handing them over one by one
 * woke the other thread for nearly every row, a million wake-ups per million records.
 */
public class ReadAheadItemReader<T> implements ItemStreamReader<T> {

	private static final Object END = new Object();

	static final int BATCH = 100;

	private Iterator<T> current = Collections.emptyIterator();

	private final ItemStreamReader<T> delegate;

	private final String countKey;

	private final int capacity;

	private BlockingQueue<Object> queue;

	private Thread fetcher;

	private long consumed;

	private boolean finished;

	/** @param countKey the delegate's execution context key for its item count */
	public ReadAheadItemReader(ItemStreamReader<T> delegate, String countKey, int capacity) {
		this.delegate = delegate;
		this.countKey = countKey;
		this.capacity = capacity;
	}

	@Override
	public void open(ExecutionContext context) {
		this.delegate.open(context);
		this.consumed = context.containsKey(this.countKey) ? context.getInt(this.countKey) : 0;
		this.finished = false;
		this.queue = new ArrayBlockingQueue<>(Math.max(1, this.capacity / BATCH));
		this.current = Collections.emptyIterator();
		this.fetcher = new Thread(this::fetch, "read-ahead-" + Thread.currentThread().getName());
		this.fetcher.setDaemon(true);
		this.fetcher.start();
	}

	private void fetch() {
		List<T> batch = new ArrayList<>(BATCH);
		try {
			T item;
			while ((item = this.delegate.read()) != null) {
				batch.add(item);
				if (batch.size() == BATCH) {
					this.queue.put(batch);
					batch = new ArrayList<>(BATCH);
				}
			}
			if (!batch.isEmpty()) {
				this.queue.put(batch);
			}
			this.queue.put(END);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			try {
				// The items read before the failure still reach the step, then the failure.
				if (!batch.isEmpty()) {
					this.queue.put(batch);
				}
				this.queue.put(new Failure(ex));
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private record Failure(Exception exception) {
	}

	/** A COPY streams rows steadily; this long without one means the database or the network has stalled. */
	private static final Duration STALL_LIMIT = Duration.ofMinutes(10);

	@Override
	@SuppressWarnings("unchecked")
	public T read() throws Exception {
		if (this.finished) {
			return null;
		}
		if (!this.current.hasNext()) {
			Object next = this.queue.poll(STALL_LIMIT.toMinutes(), TimeUnit.MINUTES);
			if (next == null) {
				this.finished = true;
				throw new IllegalStateException("The database sent no row of the claimed records for " + STALL_LIMIT
						+ "; giving up rather than waiting for ever");
			}
			if (next == END) {
				this.finished = true;
				return null;
			}
			if (next instanceof Failure failure) {
				this.finished = true;
				throw failure.exception();
			}
			this.current = ((List<T>) next).iterator();
		}
		this.consumed++;
		return this.current.next();
	}

	@Override
	public void update(ExecutionContext context) {
		this.delegate.update(context);
		// The delegate's own count is how far the read-ahead got; a restart must resume after
		// what the step consumed (and, at a commit, wrote).
		context.putInt(this.countKey, (int) this.consumed);
	}

	@Override
	public void close() {
		if (this.fetcher != null) {
			this.fetcher.interrupt();
			try {
				this.fetcher.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.fetcher = null;
		}
		try {
			this.delegate.close();
		}
		catch (ItemStreamException ex) {
			throw ex;
		}
	}

}

package uk.nhs.vaccinations.dpsexport.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server (zonky's packaged binaries) per JVM, started on first use on a
 * free loopback port and stopped when the JVM exits. Callers get fresh databases in it.
 */
public final class TestPostgres {

	private static EmbeddedPostgres server;

	private TestPostgres() {
	}

	public static synchronized EmbeddedPostgres server() {
		if (server == null) {
			try {
				server = EmbeddedPostgres.builder()
					.setCleanDataDirectory(true)
					// Every cached test context keeps a pool of its own.
					.setServerConfig("max_connections", "300")
					.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Embedded PostgreSQL did not start", ex);
			}
			EmbeddedPostgres started = server;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					started.close();
				}
				catch (IOException ex) {
					// the JVM is exiting; the data directory is temporary
				}
			}));
		}
		return server;
	}

	/**
	 * A data source for a test's own look at a database the exporter made: superuser, with the
	 * exporter's schema and then the source's on the search path, as the exporter's connections have.
	 */
	public static DriverManagerDataSource inspect(String url) {
		return new DriverManagerDataSource(url + "&currentSchema=dps_export,public", "postgres", "");
	}

	/** Creates an empty database and returns its JDBC URL (user postgres, no password). */
	public static synchronized String createDatabase(String hint) {
		String name = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
		name = name.substring(Math.max(0, name.length() - 40)) + "_" + Long.toString(System.nanoTime(), 36);
		try (Connection connection = server().getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return server().getJdbcUrl("postgres", name);
	}

}

package uk.nhs.vaccinations.dpsexport.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.TestPropertySource;

/**
 * A Spring Boot test of the whole application on a real PostgreSQL database of its own (one per
 * test class, migrated by Flyway); no command is given, so the command line front end does nothing.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest
@ContextCustomizerFactories(PostgresContextCustomizerFactory.class)
// demo mode creates the vaccination service's tables (db/source-schema) in each test database
@TestPropertySource(properties = "dps.demo.enabled=true")
public @interface PostgresTest {

}

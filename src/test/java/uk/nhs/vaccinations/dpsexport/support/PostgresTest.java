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
 * test class, migrated by Flyway), with the command line front end switched off.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest
@ContextCustomizerFactories(PostgresContextCustomizerFactory.class)
@TestPropertySource(properties = "dps.cli.enabled=false")
public @interface PostgresTest {

}

package uk.nhs.vaccinations.dpsexport.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo mode ({@code dps.demo.*}).
 *
 * @param enabled whether generate-demo-data may run: it inserts made-up records the next export would send
 */
@ConfigurationProperties("dps.demo")
public record DemoProperties(@DefaultValue("false") boolean enabled) {

}

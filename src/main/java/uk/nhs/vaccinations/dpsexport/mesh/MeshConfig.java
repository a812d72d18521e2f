package uk.nhs.vaccinations.dpsexport.mesh;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MESH client exists only when MESH jobs are on; it is built at start-up so a bad
 * certificate, key, passphrase or CA bundle stops the process before any job runs.
 */
@Configuration(proxyBeanMethods = false)
public class MeshConfig {

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "mesh.jobs-enabled", havingValue = "true")
	MeshClient meshClient(MeshProperties properties) {
		return new MeshClient(properties);
	}

}

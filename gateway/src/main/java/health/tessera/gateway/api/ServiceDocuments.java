package health.tessera.gateway.api;

import health.tessera.fhir.ResourceOwnership;
import health.tessera.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fetches the same public document (a CapabilityStatement, an OpenAPI document) from every service, for the
 * gateway to merge into the platform's one.
 */
@ApplicationScoped
public class ServiceDocuments {

    private static final Logger LOG = Logger.getLogger(ServiceDocuments.class);

    private final WebClient client;
    private final GatewayConfig config;

    public ServiceDocuments(Vertx vertx, GatewayConfig config) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * {@code pathAndQuery} from each service, in {@link ResourceOwnership} order: the body, or null for a service
     * that did not answer 200 within 5 s (left out of the merge, and logged).
     */
    public Uni<List<String>> fromEveryService(String pathAndQuery, String accept) {
        List<Uni<String>> fetches = new ArrayList<>();
        for (ResourceOwnership owner : ResourceOwnership.values()) {
            fetches.add(client.getAbs(config.services().get(owner.serviceName()) + pathAndQuery)
                    .putHeader("Accept", accept)
                    .timeout(5_000)
                    .send()
                    .map(response -> response.statusCode() == 200 ? response.bodyAsString() : null)
                    .onFailure()
                    .recoverWithItem(failure -> {
                        LOG.warnf("no %s from %s: %s", pathAndQuery, owner.serviceName(), failure.toString());
                        return null;
                    }));
        }
        return Uni.join().all(fetches).andFailFast();
    }
}

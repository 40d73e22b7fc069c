package health.tessera.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.FileReader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders deploy/kustomization.yaml (its resources and its generated ConfigMap) and checks it the way a
 * cluster would: built-in kinds are parsed into the Kubernetes model and may carry no field the model does
 * not know (a typo in a probe is a failure here, not a silently ignored key), custom resources name their
 * operator's API, and the operational rules of the services hold.
 */
class KubernetesManifestsTest {

    private static final Path DEPLOY =
            Path.of("").toAbsolutePath().resolve(Files.exists(Path.of("kustomization.yaml")) ? "" : "deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> SERVICES =
            Set.of("patient-service", "records-service", "exchange-service", "alerts-service", "gateway");
    private static final Set<String> CUSTOM_API_GROUPS = Set.of("kafka.strimzi.io", "postgresql.cnpg.io");

    private static final List<JsonNode> documents = new ArrayList<>();
    private static final List<HasMetadata> builtIns = new ArrayList<>();

    @BeforeAll
    static void render() throws Exception {
        JsonNode kustomization =
                YAML.readTree(DEPLOY.resolve("kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = DEPLOY.resolve(resource.asText());
            assertThat(file).as("resource listed in kustomization.yaml").exists();
            try (var parser = YAML.createParser(file.toFile())) {
                documents.addAll(YAML.readValues(parser, JsonNode.class).readAll().stream()
                        .filter(d -> !d.isNull())
                        .toList());
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            for (JsonNode file : generator.path("files")) {
                assertThat(DEPLOY.resolve(file.asText()))
                        .as("generated ConfigMap source")
                        .exists();
            }
        }
        for (JsonNode document : documents) {
            String group = document.path("apiVersion").asText().contains("/")
                    ? document.path("apiVersion").asText().split("/")[0]
                    : "";
            if (!CUSTOM_API_GROUPS.contains(group)) {
                HasMetadata parsed = Serialization.unmarshal(YAML.writeValueAsString(document));
                builtIns.add(parsed);
            }
        }
    }

    @Test
    void everyDocumentHasKindAndName() {
        assertThat(documents).isNotEmpty();
        for (JsonNode document : documents) {
            assertThat(document.path("apiVersion").asText()).isNotBlank();
            assertThat(document.path("kind").asText()).isNotBlank();
            assertThat(document.path("metadata").path("name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
    }

    @Test
    void builtInKindsCarryNoFieldTheKubernetesModelDoesNotKnow() throws Exception {
        for (HasMetadata resource : builtIns) {
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(
                    resource,
                    resource.getKind() + "/" + resource.getMetadata().getName(),
                    unknown,
                    new IdentityHashMap<>());
            assertThat(unknown).as("unknown fields").isEmpty();
        }
    }

    @Test
    void everyServiceRunsWithProbesLimitsAndSecretsByReference() {
        Map<String, Deployment> deployments = builtIns.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
        assertThat(deployments.keySet()).containsAll(SERVICES);
        for (String name : SERVICES) {
            Deployment deployment = deployments.get(name);
            assertThat(deployment.getSpec().getReplicas())
                    .as(name + " replicas")
                    .isGreaterThanOrEqualTo(2);
            Container container =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .isFalse();
            assertThat(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getRunAsNonRoot())
                    .isTrue();
            for (EnvVar env : container.getEnv()) {
                if (env.getName().contains("PASSWORD") || env.getName().contains("SECRET")) {
                    assertThat(env.getValue())
                            .as(name + " " + env.getName() + " must come from a Secret")
                            .isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef()).isNotNull();
                }
            }
            Service service = builtIns.stream()
                    .filter(Service.class::isInstance)
                    .map(Service.class::cast)
                    .filter(s -> s.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Service for " + name));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(service.getSpec().getSelector());
        }
    }

    @Test
    void kafkaTopicsMatchTheLocalPlatformsTopics() throws Exception {
        Properties local = new Properties();
        try (FileReader in = new FileReader(
                DEPLOY.resolveSibling("platform/kafka/topics.properties").toFile())) {
            local.load(in);
        }
        Map<String, Integer> declared = documents.stream()
                .filter(d -> d.path("kind").asText().equals("KafkaTopic"))
                .collect(Collectors.toMap(
                        d -> d.path("spec").path("topicName").asText(),
                        d -> d.path("spec").path("partitions").asInt()));
        for (String topic : local.stringPropertyNames()) {
            int partitions = Integer.parseInt(local.getProperty(topic).trim());
            assertThat(declared).containsEntry(topic, partitions).containsEntry(topic + ".dlq", partitions);
        }
        assertThat(declared).hasSize(local.size() * 2);
    }

    @Test
    void theRealmDeployedIsTheRealmTheLocalPlatformImports() throws Exception {
        JsonNode realm = new ObjectMapper()
                .readTree(DEPLOY.resolve("keycloak/tessera-realm.json").toFile());
        assertThat(realm.path("realm").asText()).isEqualTo("tessera");
        assertThat(realm.path("clients").findValuesAsText("clientId")).contains("tessera-api");
    }

    /** Walks the fabric8 model and reports every additionalProperties entry: fields the schema does not have. */
    private static void collectUnknownFields(Object node, String path, List<String> unknown, Map<Object, Boolean> seen)
            throws Exception {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                collectUnknownFields(entry.getValue(), path + "." + entry.getKey(), unknown, seen);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                collectUnknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
            }
        }
    }
}

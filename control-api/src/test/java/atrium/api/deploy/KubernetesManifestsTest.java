package atrium.api.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * deploy/k8s, checked without a Kubernetes: every document of every manifest is read into fabric8's
 * Kubernetes API model (an unknown kind, or a field the model does not know, fails), and the pieces
 * must fit together — the HorizontalPodAutoscaler and the PodDisruptionBudget aim at the Deployment's
 * pods, the probes at Pekko Management's health checks on the port atrium-cluster.conf opens, the pods
 * run as the service account the Role lets read pods (Kubernetes API discovery), the node reads its
 * settings from the ConfigMap, which selects the Cassandra profile and Cluster Bootstrap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "ServiceAccount", ServiceAccount.class, "Role", Role.class, "RoleBinding", RoleBinding.class, "ConfigMap", ConfigMap.class,
      "Deployment", Deployment.class, "Service", Service.class, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
      "PodDisruptionBudget", PodDisruptionBudget.class);

  /** Equal nodes, or numbers of equal value (the model reads 60 as a long, YAML as an int). */
  private static final java.util.Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
      || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private final List<HasMetadata> resources = new ArrayList<>();

  static Path k8sFolder() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("deploy/k8s");
      if (Files.isDirectory(f)) return f;
    }
    throw new IllegalStateException("deploy/k8s not found above " + Path.of("").toAbsolutePath());
  }

  @BeforeAll
  void readEveryManifest() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(k8sFolder())) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    for (Path f : files) {
      try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
        List<JsonNode> docs = yaml.readValues(parser, JsonNode.class).readAll();
        for (JsonNode doc : docs) {
          if (doc == null || doc.isNull() || doc.isEmpty()) continue;
          String kind = doc.path("kind").asText();
          Class<? extends HasMetadata> type = KINDS.get(kind);
          assertNotNull(type, f.getFileName() + ": a kind Atrium's deployment does not use: " + kind);
          HasMetadata r = yaml.treeToValue(doc, type);
          assertEquals(doc.path("apiVersion").asText(), r.getApiVersion(), f.getFileName() + ": apiVersion of " + kind);
          // The model keeps fields it does not know in additionalProperties instead of failing: none may be there.
          JsonNode back = yaml.valueToTree(r);
          assertTrue(doc.equals(SAME_VALUE, back), () -> f.getFileName() + ": " + kind + " " + r.getMetadata().getName()
              + " has fields the Kubernetes model does not know (a typo?)");
          resources.add(r);
        }
      }
    }
  }

  private <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
    assertEquals(1, found.size(), "one " + type.getSimpleName());
    return found.get(0);
  }

  private Container atrium() {
    List<Container> containers = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  private int containerPort(String name) {
    return atrium().getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  private String env(String name) {
    EnvVar v = atrium().getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
    return v.getValue();
  }

  private Config nodeConfig() {
    String text = one(ConfigMap.class).getData().get("atrium.conf");
    assertNotNull(text, "the ConfigMap holds atrium.conf");
    return ConfigFactory.parseString(text).resolve(com.typesafe.config.ConfigResolveOptions.defaults().setAllowUnresolved(true));
  }

  @Test
  void everyDocumentIsAKubernetesObjectOfAKnownKind() {
    assertEquals(KINDS.keySet(), resources.stream().map(HasMetadata::getKind).collect(java.util.stream.Collectors.toSet()),
        "every kind the deployment needs, and no other");
  }

  @Test
  void theAutoscalerAndTheDisruptionBudgetAimAtTheDeploymentsPods() {
    Deployment d = one(Deployment.class);
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()), "the selector matches the pods");
    HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals(d.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
    assertEquals(d.getApiVersion(), hpa.getSpec().getScaleTargetRef().getApiVersion());
    assertTrue(hpa.getSpec().getMinReplicas() >= 3, "never fewer than three nodes: keep-majority needs a majority that is not everyone");
    assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
    PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
    assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()), "the budget covers the pods");
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), "one node at a time");
    Service svc = one(Service.class);
    assertTrue(podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()), "the service reaches the pods");
    for (ServicePort p : svc.getSpec().getPorts()) containerPort(p.getTargetPort().getStrVal());
  }

  @Test
  void probesUsePekkoManagementsHealthChecksOnThePortTheNodeOpens() {
    Config cluster = ConfigFactory.parseResources("atrium-cluster.conf").resolve(
        com.typesafe.config.ConfigResolveOptions.defaults().setAllowUnresolved(true));
    int management = containerPort("management");
    assertEquals(cluster.getInt("pekko.management.http.port"), management);
    Container c = atrium();
    assertEquals("/ready", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("management", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
    assertEquals("/alive", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("management", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
    assertEquals(String.valueOf(containerPort("remoting")), env("ATRIUM_CLUSTER_PORT"), "Artery listens on the declared port");
    EnvVar host = c.getEnv().stream().filter(e -> e.getName().equals("ATRIUM_HOST")).findFirst().orElseThrow();
    assertEquals("status.podIP", host.getValueFrom().getFieldRef().getFieldPath(), "each node is reached at its pod's address");
    assertTrue(one(Deployment.class).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() >= 30,
        "time for coordinated shutdown to hand the shards off before SIGKILL");
  }

  @Test
  void thePodsMayReadPodsForKubernetesApiDiscoveryAndNothingMore() {
    ServiceAccount sa = one(ServiceAccount.class);
    assertEquals(sa.getMetadata().getName(), one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName());
    Role role = one(Role.class);
    assertEquals(1, role.getRules().size());
    PolicyRule rule = role.getRules().get(0);
    assertEquals(List.of(""), rule.getApiGroups());
    assertEquals(List.of("pods"), rule.getResources());
    assertEquals(List.of("get", "watch", "list"), rule.getVerbs());
    RoleBinding binding = one(RoleBinding.class);
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals("Role", binding.getRoleRef().getKind());
    assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
  }

  @Test
  void theNodeReadsTheConfigMapWhichSelectsCassandraAndClusterBootstrap() {
    Container c = atrium();
    assertEquals("node", c.getArgs().get(0));
    int at = c.getArgs().indexOf("--config");
    assertTrue(at > 0, "the node is given its settings file");
    Path file = Path.of(c.getArgs().get(at + 1));
    String mount = c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath())).map(m -> m.getName()).findFirst()
        .orElseThrow(() -> new AssertionError("no volume mounted at " + file.getParent()));
    String configMap = one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount)).findFirst().orElseThrow().getConfigMap().getName();
    assertEquals(one(ConfigMap.class).getMetadata().getName(), configMap);
    assertTrue(one(ConfigMap.class).getData().containsKey(file.getFileName().toString()));

    Config node = nodeConfig();
    assertEquals("cassandra", node.getString("atrium.persistence.profile"));
    assertTrue(node.getBoolean("atrium.management.enabled") && node.getBoolean("atrium.management.bootstrap"));
    assertEquals("kubernetes-api", node.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
    int required = node.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr");
    assertTrue(required <= one(HorizontalPodAutoscaler.class).getSpec().getMinReplicas(), "the cluster can form with the fewest pods");
    assertFalse(node.getStringList("atrium.cassandra.contact-points").isEmpty(), "an external Cassandra");
    assertFalse(node.getBoolean("atrium.cassandra.create-schema"), "the operator creates the keyspace with its replication");
    for (String secret : List.of("ATRIUM_CASSANDRA_USERNAME", "ATRIUM_CASSANDRA_PASSWORD", "ATRIUM_AUTH_SECRET")) {
      assertNotNull(atrium().getEnv().stream().filter(e -> e.getName().equals(secret)).findFirst().orElseThrow().getValueFrom().getSecretKeyRef(),
          secret + " from the Secret");
    }
    assertFalse(node.hasPath("atrium.auth.hmac-secret"), "secrets come from the Secret, not the ConfigMap");
  }
}

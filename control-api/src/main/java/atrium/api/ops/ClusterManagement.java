package atrium.api.ops;

import com.typesafe.config.Config;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pekko Management for a node of a cluster (atrium-cluster.conf, docs/operations.md): its HTTP
 * endpoint with the health checks an orchestrator probes ({@code /ready}: cluster member and the twin
 * answers; {@code /alive}) and read-only cluster information ({@code /cluster/members}); and, when
 * {@code atrium.management.bootstrap} is on, Cluster Bootstrap, which forms or joins the cluster from
 * the nodes that discovery finds (the Kubernetes API in deploy/k8s) instead of fixed seed nodes.
 */
public final class ClusterManagement {
  private static final Logger log = LoggerFactory.getLogger(ClusterManagement.class);

  private ClusterManagement() {}

  /** Starts what {@code atrium.management} asks for; nothing when it is off (the one-node default). */
  public static void start(ActorSystem<?> system, Readiness readiness) {
    Config config = system.settings().config();
    if (!config.getBoolean("atrium.management.enabled")) return;
    var classic = Adapter.toClassic(system);
    ManagementReadiness.register(classic, readiness);
    try {
      var uri = PekkoManagement.get(classic).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      log.info("Pekko Management on {}", uri);
    } catch (Exception e) {
      throw new IllegalStateException("Pekko Management did not start on " + config.getString("pekko.management.http.hostname") + ":"
          + config.getInt("pekko.management.http.port") + ": " + e.getMessage(), e);
    }
    if (config.getBoolean("atrium.management.bootstrap")) {
      ClusterBootstrap.get(classic).start();
      log.info("Cluster Bootstrap started: discovery {} for service {}",
          config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"),
          config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
    }
  }
}

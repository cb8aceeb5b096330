package atrium.api.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.runtime.AtriumConfig;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/local's node files (docs/operations.md § A local cluster) load as a node loads them
 * ({@code node --config}), select the Cassandra profile with management on, give every node its own
 * ports and data folder, and name seed nodes that are nodes of the same files.
 */
class LocalClusterConfigTest {

  @Test
  void everyNodeLoadsWithItsOwnPortsAndTheSeedsAreAmongTheNodes() throws Exception {
    Path folder = KubernetesManifestsTest.k8sFolder().getParent().resolve("local");
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "at least three nodes: " + files);
    Set<Integer> ports = new HashSet<>();
    Set<String> dataDirs = new HashSet<>(), arteries = new HashSet<>();
    Set<String> seeds = new HashSet<>();
    for (Path f : files) {
      Config c = AtriumConfig.load(ConfigFactory.parseFile(f.toFile()));
      assertEquals("cassandra", c.getString("atrium.persistence.profile"), f.toString());
      assertTrue(c.getBoolean("atrium.management.enabled"), f.toString());
      for (String key : List.of("atrium.http.port", "atrium.mqtt.port", "pekko.remote.artery.canonical.port", "pekko.management.http.port")) {
        assertTrue(ports.add(c.getInt(key)), f + ": " + key + " " + c.getInt(key) + " is another node's port too");
      }
      assertTrue(dataDirs.add(c.getString("atrium.data-dir")), f + ": its own data folder");
      arteries.add("pekko://atrium@127.0.0.1:" + c.getInt("pekko.remote.artery.canonical.port"));
      seeds.addAll(c.getStringList("pekko.cluster.seed-nodes"));
    }
    assertTrue(seeds.size() >= 2 && arteries.containsAll(seeds), "the seed nodes " + seeds + " are nodes of deploy/local " + arteries);
  }
}

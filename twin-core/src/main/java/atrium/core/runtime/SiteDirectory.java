package atrium.core.runtime;

import atrium.core.site.Site;
import atrium.core.site.SiteLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sites this node serves, loaded and validated once at start-up. */
public final class SiteDirectory {
  private final Map<String, Site> sites;

  public SiteDirectory(Collection<Site> sites) {
    Map<String, Site> m = new LinkedHashMap<>();
    for (Site s : sites) {
      if (m.put(s.id(), s) != null) throw new IllegalArgumentException("site '" + s.id() + "' is loaded twice");
    }
    this.sites = Map.copyOf(m);
  }

  public static SiteDirectory load(List<Path> files) {
    return new SiteDirectory(files.stream().map(SiteDirectory::loadOne).toList());
  }

  private static Site loadOne(Path file) {
    try {
      return SiteLoader.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read site file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  public Optional<Site> site(String id) {
    return Optional.ofNullable(sites.get(id));
  }

  public List<String> ids() {
    return sites.keySet().stream().sorted().toList();
  }
}

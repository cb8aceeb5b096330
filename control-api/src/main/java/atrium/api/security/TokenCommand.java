package atrium.api.security;

import atrium.core.runtime.AtriumConfig;
import atrium.core.runtime.AtriumSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code atrium token --role operator --site demo-mall --subject alice --ttl 8h}: prints a bearer
 * token signed with the node's shared secret ({@code ATRIUM_AUTH_SECRET}, or the secret a demo node
 * generated in its data directory). Only the token goes to standard output, so
 * {@code TOKEN=$(bin/atrium token ...)} works; what it grants goes to standard error.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Mint a bearer token for a person (HS256, the node's shared secret).")
public final class TokenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--subject", required = true, description = "who the token is for (sub)")
  String subject;

  @Option(names = "--role", required = true, description = "viewer, operator, engineer or admin")
  String role;

  @Option(names = "--site", required = true, description = "a site granted (repeat for several; \"*\" for every site)")
  List<String> sites;

  @Option(names = "--ttl", defaultValue = "8h", description = "how long it is valid, e.g. 30m, 8h, 7d (default ${DEFAULT-VALUE}; at most 30d)")
  String ttl;

  @Option(names = "--data-dir", description = "the node's data directory, where a generated secret is kept (atrium.data-dir)")
  Path dataDir;

  private final Clock clock;

  public TokenCommand() {
    this(Clock.systemUTC());
  }

  /** For tests: the clock the token's times come from. */
  public TokenCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Role r = Role.fromWireName(role).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
        "--role must be one of viewer, operator, engineer, admin; was '" + role + "'"));
    Duration lifetime;
    try {
      lifetime = ConfigFactory.parseMap(Map.of("ttl", ttl)).getDuration("ttl");
    } catch (RuntimeException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ttl is not a duration (e.g. 30m, 8h, 7d): '" + ttl + "'");
    }
    Config config = AtriumConfig.load(dataDir == null
        ? ConfigFactory.empty()
        : ConfigFactory.parseMap(Map.of("atrium.data-dir", dataDir.toString())));
    AuthSettings settings = AuthSettings.create(config);
    if (settings.hmacSecret().isEmpty()) {
      Path dir = AtriumSettings.create(config).dataDir();
      settings = TokenSecrets.load(dir).map(settings::withHmacSecret).orElseThrow(() -> new CommandLine.ParameterException(
          spec.commandLine(), "no token secret: set ATRIUM_AUTH_SECRET, or run the demo once so it generates "
              + dir.resolve(TokenSecrets.FILE_NAME)));
    }
    String token;
    try {
      token = new TokenIssuer(settings, clock).mint(subject, r, new LinkedHashSet<>(sites), lifetime);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println(token);
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().println("token for " + subject + ": " + r.wireName() + " on " + String.join(", ", sites)
        + ", valid " + lifetime + " (issuer " + settings.issuer() + ", audience " + settings.audience() + ")");
    return 0;
  }
}

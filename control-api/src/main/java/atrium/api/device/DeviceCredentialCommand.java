package atrium.api.device;

import atrium.core.asset.AssetId;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Prints one entry of a device credentials file, its password hashed:
 * {@code atrium device-credential --username cam-5 --site demo-mall --asset camera/CAM-0005 --password-stdin}.
 * The password is read from the first line of standard input, never from the command line.
 */
@Command(name = "device-credential", mixinStandardHelpOptions = true,
    description = "Print a device credential (a JSON entry for atrium.devices.credentials-file); the password is read from stdin.")
public final class DeviceCredentialCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--username", required = true, description = "the device's MQTT user name")
  String username;

  @Option(names = "--site", required = true, description = "the site it belongs to")
  String site;

  @Option(names = "--asset", required = true,
      description = "kind/assetId it may act for (repeatable), or * for a gateway of the whole site")
  List<String> assets;

  @Option(names = "--password-stdin", required = true, description = "read the password from the first line of stdin")
  boolean passwordStdin;

  @Option(names = "--iterations", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
      description = "PBKDF2 iterations (default ${DEFAULT-VALUE}, at least " + PasswordHash.MIN_ITERATIONS + ")")
  int iterations;

  @Override
  public Integer call() throws IOException {
    if (!AssetId.isValidName(site)) throw new ParameterException(spec.commandLine(), "--site '" + site + "' must match " + AssetId.NAME.pattern());
    if (username.isBlank() || username.length() > 128) throw new ParameterException(spec.commandLine(), "--username: 1 to 128 characters");
    if (iterations < PasswordHash.MIN_ITERATIONS) {
      throw new ParameterException(spec.commandLine(), "--iterations: at least " + PasswordHash.MIN_ITERATIONS);
    }
    if (assets.contains("*") && assets.size() > 1) throw new ParameterException(spec.commandLine(), "--asset '*' (a site gateway) stands alone");
    for (String a : assets) {
      String problem = a.equals("*") ? null : DeviceCredentials.assetProblem(a);
      if (problem != null) throw new ParameterException(spec.commandLine(), "--asset " + problem);
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) throw new ParameterException(spec.commandLine(), "no password on standard input");
    char[] password = line.toCharArray();
    PasswordHash hash = PasswordHash.create(password, iterations);
    Arrays.fill(password, '\0');

    ObjectMapper mapper = new ObjectMapper();
    ObjectNode entry = mapper.createObjectNode();
    entry.put("username", username);
    entry.put("password", hash.format());
    entry.put("site", site);
    ArrayNode list = entry.putArray("assets");
    assets.forEach(list::add);
    PrintWriter out = spec.commandLine().getOut();
    out.println(mapper.writeValueAsString(entry));
    out.flush();
    return 0;
  }
}

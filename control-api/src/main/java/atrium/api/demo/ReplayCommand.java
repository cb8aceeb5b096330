package atrium.api.demo;

import atrium.sim.link.HttpDeviceLink;
import atrium.sim.replay.Replay;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code atrium replay FILE}: sends recorded device traffic (JSON lines) into a running twin over its HTTP device door. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay recorded device traffic (one device-protocol envelope per line, in time order) into a twin.")
public final class ReplayCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the recording (JSON lines)")
  Path file;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the twin's HTTP door (default ${DEFAULT-VALUE})")
  URI url;

  @Option(names = "--user", required = true, description = "device credentials: a site gateway's user name")
  String user;

  @Option(names = "--password-file", required = true, description = "file holding the gateway's password")
  Path passwordFile;

  @Option(names = "--speed", defaultValue = "1", description = "device seconds per real second; 0 = as fast as the twin takes it")
  double speed;

  @Option(names = "--shift-to", description = "move the first message to this instant ('now', or ISO-8601 UTC)")
  String shiftTo;

  @Option(names = "--id-prefix", defaultValue = "", description = "prefix every message id (a second replay into one twin)")
  String idPrefix;

  @Override
  public Integer call() throws Exception {
    String password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
    Optional<Instant> shift = shiftTo == null ? Optional.empty()
        : Optional.of(shiftTo.equals("now") ? Instant.now() : Instant.parse(shiftTo));
    try (HttpDeviceLink link = new HttpDeviceLink(url, user, password)) {
      Replay.Result r = Replay.run(file, link, new Replay.Options(speed, shift, idPrefix, 200));
      System.out.printf("replayed %d messages in %d batches: %s of device time in %.1f s%n", r.messages(), r.batches(),
          r.deviceTime(), r.wallTime().toMillis() / 1000.0);
      return 0;
    } catch (Replay.BadLine e) {
      System.err.println("replay stopped: " + e.getMessage());
      return 2;
    }
  }
}

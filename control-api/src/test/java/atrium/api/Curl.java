package atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's curl, the client an operator would use: runs it and returns status, ETag, content type and body. */
public final class Curl {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Curl() {}

  /** What curl got back. {@code etag} is empty when the response had none. */
  public record Reply(int status, String etag, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    /** The last segment of a problem's {@code type}. */
    public String problemType() {
      String type = json().path("type").asText();
      return type.substring(type.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }

  public static Reply run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30",
        "-w", "\n%{http_code} %header{etag} %{content_type}"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("curl did not finish");
      int nl = out.lastIndexOf('\n');
      String[] tail = out.substring(nl + 1).split(" ", 3);
      return new Reply(Integer.parseInt(tail[0]), tail[1], tail.length > 2 ? tail[2] : "", out.substring(0, nl));
    } catch (IOException e) {
      throw new AssertionError("cannot run curl (scripts/test-prerequisites.sh installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

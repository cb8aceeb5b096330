package atrium.api.console;

import atrium.api.http.HttpApi;
import atrium.api.http.Reply;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The control-room console: plain files under {@code console/} on the classpath, served at {@code /}
 * (its page) and {@code /console/...} (scripts, styles, dictionaries). Public, like the page of any
 * web application: the files hold no data; every call the page makes to the API carries the
 * person's token.
 *
 * <p>A path is served only when each of its segments is a plain name ({@code [A-Za-z0-9_-]}, dots
 * inside) and its extension is one of a short list; anything else ({@code ..}, {@code .hidden},
 * backslashes, unknown extensions) is not found, so no request reaches a file outside
 * {@code console/}. Files are read once and kept. Every answer revalidates ({@code no-cache} with a
 * strong {@code ETag}: there is no build step to fingerprint file names, so a new version is seen at
 * once) and carries a strict Content-Security-Policy: scripts, styles, images and connections from
 * this origin only, no inline script or style, no frames.
 */
public final class ConsoleFiles implements HttpApi.Pages {
  static final String ROOT = "console/";
  static final String PREFIX = "/console/";
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}");
  private static final int MAX_SEGMENTS = 4;
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json; charset=utf-8",
      "svg", "image/svg+xml");

  private record File(String contentType, byte[] body, String etag) {}

  private final ClassLoader loader;
  private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

  public ConsoleFiles() {
    this(ConsoleFiles.class.getClassLoader());
  }

  ConsoleFiles(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public Optional<Reply> serve(String path, HttpHeaders headers) {
    Optional<String> resource = resourceOf(path);
    if (resource.isEmpty()) return Optional.empty();
    return files.computeIfAbsent(resource.get(), this::read).map(f -> answer(f, headers));
  }

  /** The classpath resource a request path names, or empty when it names none this class would serve. */
  static Optional<String> resourceOf(String path) {
    if (path.equals("/") || path.equals("/index.html")) return Optional.of(ROOT + "index.html");
    if (!path.startsWith(PREFIX)) return Optional.empty();
    String rest = path.substring(PREFIX.length());
    List<String> segments = List.of(rest.split("/", -1));
    if (segments.size() > MAX_SEGMENTS) return Optional.empty();
    for (String s : segments) {
      if (!SEGMENT.matcher(s).matches() || s.contains("..")) return Optional.empty();
    }
    String last = segments.get(segments.size() - 1);
    int dot = last.lastIndexOf('.');
    if (dot < 1 || !TYPES.containsKey(last.substring(dot + 1))) return Optional.empty();
    return Optional.of(ROOT + rest);
  }

  private Optional<File> read(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      byte[] body = in.readAllBytes();
      String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      return Optional.of(new File(TYPES.get(ext), body, etag(body)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static Reply answer(File f, HttpHeaders headers) {
    String inm = headers.get("If-None-Match");
    Reply r = inm != null && matches(inm, f.etag()) ? Reply.notModified(f.etag())
        : new Reply(HttpResponseStatus.OK, f.contentType(), f.body(), Map.of("ETag", f.etag()));
    return r.withHeader("Cache-Control", "no-cache")
        .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Referrer-Policy", "no-referrer")
        .withHeader("X-Frame-Options", "DENY");
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String t : ifNoneMatch.split(",")) {
      String tag = t.trim();
      if (tag.startsWith("W/")) tag = tag.substring(2);
      if (tag.equals("*") || tag.equals(etag)) return true;
    }
    return false;
  }

  private static String etag(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}

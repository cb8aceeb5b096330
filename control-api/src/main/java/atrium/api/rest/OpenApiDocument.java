package atrium.api.rest;

import atrium.api.http.Endpoint;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of this API, the resource
 * {@code openapi.json} read once from the classpath and served as is, with a strong ETag. The
 * document is written by hand; {@code OpenApiDocumentTest} keeps it in step with the endpoint table.
 */
public final class OpenApiDocument {
  public static final String PATH = "/api/v1/openapi.json";
  public static final String RESOURCE = "/openapi.json";

  private OpenApiDocument() {}

  public static Endpoint endpoint() {
    byte[] document = load();
    String etag = ETags.of(document);
    Reply ok = Reply.bytes(Reply.JSON, document).withHeader("ETag", etag);
    return Endpoint.of("getOpenApi", HttpMethod.GET, PATH, Access.PUBLIC, "This OpenAPI 3.1 document",
        call -> Replies.done(ETags.noneMatchHits(call, etag) ? Reply.notModified(etag) : ok));
  }

  /** The document's bytes, as packaged. */
  public static byte[] load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the resource " + RESOURCE + " is missing from the classpath");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}

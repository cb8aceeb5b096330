package atrium.api.security;

import atrium.api.http.ApiException;
import atrium.api.http.Authenticator;
import atrium.api.http.Problem;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP door's authentication: people present a bearer token, devices their device credentials
 * with HTTP Basic. The two never cross: a person's token does not open the device door and device
 * credentials open nothing else. Every refusal is a 401 problem with a {@code WWW-Authenticate}
 * challenge; the credentials are never echoed.
 */
public final class HttpAuthenticator implements Authenticator {
  static final String PEOPLE_REALM = "atrium";
  static final String DEVICE_REALM = "atrium-devices";

  /** Verifies a person's bearer token (the part after {@code Bearer }). */
  @FunctionalInterface
  public interface People {
    /** @throws Refused when the token is not good */
    Principal verify(String token);
  }

  /** Checks a device's user name and password. */
  @FunctionalInterface
  public interface Devices {
    Optional<Principal> login(String username, String password);
  }

  /** A token or login refused, with a stable slug ({@code invalid-token}, {@code expired-token}) and a reason. */
  public static final class Refused extends RuntimeException {
    private final String slug;

    public Refused(String slug, String detail) {
      super(detail, null, false, false);
      this.slug = slug;
    }

    public String slug() {
      return slug;
    }
  }

  private final People people;
  private final Devices devices;

  public HttpAuthenticator(People people, Devices devices) {
    this.people = people;
    this.devices = devices;
  }

  @Override
  public Principal authenticate(Access access, HttpHeaders headers) {
    String authorization = headers.get("Authorization");
    return access == Access.DEVICE ? device(authorization) : person(authorization);
  }

  private Principal person(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("missing-credentials", "Credentials missing",
          "this endpoint needs a bearer token: send Authorization: Bearer <token>", bearer(null));
    }
    if (authorization.trim().equalsIgnoreCase("Bearer")) {
      throw unauthorized("missing-credentials", "Credentials missing",
          "the bearer token is empty: send Authorization: Bearer <token>", bearer("invalid_request"));
    }
    if (!scheme(authorization, "Bearer")) {
      throw unauthorized("invalid-credentials", "Wrong kind of credentials",
          "this endpoint takes a person's bearer token (Authorization: Bearer <token>); device credentials open only the device door",
          bearer("invalid_request"));
    }
    String token = authorization.substring("Bearer ".length()).trim();
    try {
      Principal p = people.verify(token);
      if (p.device()) throw new Refused("invalid-token", "the token is a device's, not a person's");
      return p;
    } catch (Refused r) {
      throw unauthorized(r.slug(), r.slug().equals("expired-token") ? "Token expired" : "Invalid token", r.getMessage(),
          bearer("invalid_token"));
    }
  }

  private Principal device(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("missing-credentials", "Credentials missing",
          "the device door needs device credentials: send Authorization: Basic <base64 of username:password>", basic());
    }
    if (!scheme(authorization, "Basic")) {
      throw unauthorized("invalid-credentials", "Wrong kind of credentials",
          "the device door takes device credentials with HTTP Basic, not a person's token", basic());
    }
    String userPass;
    try {
      userPass = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length()).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw unauthorized("invalid-credentials", "Invalid credentials", "the Basic credentials are not valid base64", basic());
    }
    int colon = userPass.indexOf(':');
    if (colon < 0) {
      throw unauthorized("invalid-credentials", "Invalid credentials", "the Basic credentials lack the ':' between user name and password", basic());
    }
    return devices.login(userPass.substring(0, colon), userPass.substring(colon + 1))
        .orElseThrow(() -> unauthorized("invalid-credentials", "Invalid credentials", "unknown device or wrong password", basic()));
  }

  private static boolean scheme(String authorization, String scheme) {
    return authorization.length() > scheme.length() && authorization.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1);
  }

  private static String bearer(String error) {
    return "Bearer realm=\"" + PEOPLE_REALM + "\"" + (error == null ? "" : ", error=\"" + error + "\"");
  }

  private static String basic() {
    return "Basic realm=\"" + DEVICE_REALM + "\", charset=\"UTF-8\"";
  }

  private static ApiException unauthorized(String slug, String title, String detail, String challenge) {
    return new ApiException(Problem.of(HttpResponseStatus.UNAUTHORIZED, slug, title, detail), Map.of("WWW-Authenticate", challenge));
  }
}

package atrium.api.http;

import atrium.api.security.Access;
import atrium.api.security.Principal;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Turns a request's credentials into a principal, for an endpoint of the given access: a bearer
 * token for people, device credentials for the device door. Throws {@link ApiException} (401) when
 * the credentials are missing or wrong; authorisation (role, site) is the dispatcher's.
 */
@FunctionalInterface
public interface Authenticator {
  Principal authenticate(Access access, HttpHeaders headers);
}

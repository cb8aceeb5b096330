package atrium.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Mints HS256 bearer tokens with the node's shared secret, for the demo, tests and operations
 * ({@code atrium token}). Production sign-in normally comes from an identity provider whose public
 * keys are in the JWKS file; this is the way in when there is none.
 */
public final class TokenIssuer {
  /** Longest lifetime minted: a token cannot be revoked before it expires. */
  public static final Duration MAX_TTL = Duration.ofDays(30);

  private final String issuer;
  private final String audience;
  private final MACSigner signer;
  private final Clock clock;

  /** @throws IllegalArgumentException if the settings have no shared secret */
  public TokenIssuer(AuthSettings settings, Clock clock) {
    this.issuer = settings.issuer();
    this.audience = settings.audience();
    this.clock = clock;
    byte[] secret = settings.hmacSecret().orElseThrow(() -> new IllegalArgumentException(
        "no token secret: set ATRIUM_AUTH_SECRET (atrium.auth.hmac-secret), or start the demo once to generate one"));
    try {
      this.signer = new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the token secret is not a usable HS256 key: " + e.getMessage(), e);
    }
  }

  /**
   * A signed token for a person.
   *
   * @param sites the sites granted, or {@code Set.of(Principal.ALL_SITES)}
   * @param ttl how long it is valid, at most {@link #MAX_TTL}
   */
  public String mint(String subject, Role role, Set<String> sites, Duration ttl) {
    if (subject == null || subject.isBlank()) throw new IllegalArgumentException("subject must not be empty");
    if (sites.isEmpty()) throw new IllegalArgumentException("grant at least one site, or \"*\" for all");
    if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be positive and at most " + MAX_TTL.toDays() + " days, was " + ttl);
    }
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(audience)
        .subject(subject)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)))
        .jwtID(UUID.randomUUID().toString())
        .claim(TokenVerifier.ROLE_CLAIM, role.wireName())
        .claim(TokenVerifier.SITES_CLAIM, List.copyOf(sites.stream().sorted().toList()))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the token", e);
    }
    return jwt.serialize();
  }
}

package atrium.api.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a person's {@code Authorization: Bearer <jwt>} into a {@link Principal}, or refuses it with
 * an {@link AuthException}.
 *
 * <p>Only signed JWTs (JWS, compact form) are accepted, with exactly these algorithms: HS256 with the
 * node's shared secret, RS256 and ES256 (P-256) with the public keys of the JWKS file. The key is
 * chosen by the header's {@code alg} and {@code kid} among keys of that algorithm's family only, so an
 * HMAC "signed" with an RSA public key never meets that key. Unsigned ({@code alg=none}) and encrypted
 * (JWE) tokens are refused. The claims must carry {@code iss} equal to {@code atrium.auth.issuer},
 * {@code aud} containing {@code atrium.auth.audience}, {@code exp}, {@code sub}, {@code role} (a
 * {@link Role#wireName()}) and {@code sites} (site ids, or {@code ["*"]}); {@code exp}, {@code nbf}
 * and {@code iat} are checked against the given clock with {@code clock-skew} of tolerance. Tokens
 * with {@code kind: "device"} are device credentials and belong at the device door, not here.
 *
 * <p>Thread-safe; verification is CPU-only (no I/O), cheap enough for an event loop.
 */
public final class TokenVerifier {
  private static final Logger log = LoggerFactory.getLogger(TokenVerifier.class);

  public static final String ROLE_CLAIM = "role";
  public static final String SITES_CLAIM = "sites";
  /** {@value #DEVICE_KIND} here marks device credentials, which people's doors refuse. */
  public static final String KIND_CLAIM = "kind";
  public static final String DEVICE_KIND = "device";
  /** Access tokens per RFC 9068 may say so in their header; plain "JWT" or no type is accepted too. */
  private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
  /** Longer tokens are refused before parsing (a header of megabytes is an attack, not a token). */
  private static final int MAX_TOKEN_CHARS = 8192;
  private static final String BEARER = "bearer ";

  private final AuthSettings settings;
  private final Clock clock;
  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> keyIds;
  /** Absent when no key is configured: every token is refused. */
  private final Optional<DefaultJWTProcessor<SecurityContext>> processor;

  /**
   * Loads the keys: the shared secret, and the public keys of the JWKS file. Fails if the JWKS file is
   * configured but unreadable or holds no usable key. Logs a warning when no key is configured at all.
   */
  public TokenVerifier(AuthSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    List<JWK> keys = new ArrayList<>();
    settings.hmacSecret().ifPresent(secret ->
        keys.add(new OctetSequenceKey.Builder(secret).algorithm(JWSAlgorithm.HS256).keyUse(KeyUse.SIGNATURE).build()));
    settings.jwksFile().ifPresent(file -> keys.addAll(publicKeys(file)));
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    Set<String> kids = new HashSet<>();
    for (JWK k : keys) {
      algs.add(k instanceof OctetSequenceKey ? JWSAlgorithm.HS256 : k instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256);
      if (k.getKeyID() != null) kids.add(k.getKeyID());
    }
    this.algorithms = Set.copyOf(algs);
    this.keyIds = Set.copyOf(kids);
    if (keys.isEmpty()) {
      this.processor = Optional.empty();
      log.warn("Nobody can sign in to the control API: neither atrium.auth.hmac-secret (ATRIUM_AUTH_SECRET) nor "
          + "atrium.auth.jwks-file (ATRIUM_AUTH_JWKS_FILE) is set; every bearer token will be refused");
    } else {
      this.processor = Optional.of(processor(new ImmutableJWKSet<>(new JWKSet(keys))));
      log.info("Control API sign-in: tokens of issuer '{}' for audience '{}', algorithms {}", settings.issuer(),
          settings.audience(), algorithms);
    }
  }

  /** The node's verifier: settings from {@code atrium.auth}, with a generated secret where the demo asks for one. */
  public static TokenVerifier create(Config config, Path dataDir, Clock clock) {
    return new TokenVerifier(TokenSecrets.resolve(AuthSettings.create(config), dataDir), clock);
  }

  /** Whether any token can be accepted at all (a key is configured). */
  public boolean signInConfigured() {
    return processor.isPresent();
  }

  /** The algorithms accepted, given the keys configured. */
  public Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  /**
   * Verifies the value of an {@code Authorization} header.
   *
   * @param authorizationHeaderValue the header's value, or null when the request had none
   * @return the person the token names
   * @throws AuthException with {@link AuthException#MISSING_CREDENTIALS}, {@link AuthException#INVALID_TOKEN},
   *     {@link AuthException#EXPIRED_TOKEN} or {@link AuthException#SIGN_IN_NOT_CONFIGURED}
   */
  public Principal verify(String authorizationHeaderValue) {
    String token = bearerToken(authorizationHeaderValue);
    if (processor.isEmpty()) {
      throw new AuthException(AuthException.SIGN_IN_NOT_CONFIGURED,
          "nobody can sign in on this node: no token secret or public keys are configured (atrium.auth)");
    }
    SignedJWT jwt = signed(token);
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw invalid("tokens signed with " + safe(header.getAlgorithm().getName()) + " are not accepted; accepted: " + algorithms);
    }
    if (header.getKeyID() != null && !keyIds.contains(header.getKeyID())) {
      throw invalid("the token was signed with an unknown key (kid)");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.get().process(jwt, null);
    } catch (BadJWTException e) {
      throw claimsRefused(e);
    } catch (BadJOSEException e) {
      throw invalid("the token's signature does not verify, or its type is not a JWT");
    } catch (com.nimbusds.jose.JOSEException e) {
      throw invalid("the token's signature could not be checked");
    }
    return principal(claims);
  }

  private static String bearerToken(String header) {
    if (header == null || header.isBlank()) {
      throw new AuthException(AuthException.MISSING_CREDENTIALS, "this endpoint needs an 'Authorization: Bearer <token>' header");
    }
    String h = header.strip();
    if (!h.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new AuthException(AuthException.MISSING_CREDENTIALS, "only 'Authorization: Bearer <token>' is accepted here");
    }
    String token = h.substring(BEARER.length()).strip();
    if (token.isEmpty()) throw new AuthException(AuthException.MISSING_CREDENTIALS, "the bearer token is empty");
    if (token.length() > MAX_TOKEN_CHARS) throw invalid("the token is longer than " + MAX_TOKEN_CHARS + " characters");
    return token;
  }

  private static SignedJWT signed(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw invalid("the token is not a well-formed JWT");
    }
    if (jwt instanceof SignedJWT) return (SignedJWT) jwt;
    if (jwt instanceof EncryptedJWT) throw invalid("encrypted tokens (JWE) are not accepted; send a signed JWT");
    throw invalid("unsigned tokens (alg \"none\") are refused");
  }

  private DefaultJWTProcessor<SecurityContext> processor(ImmutableJWKSet<SecurityContext> keys) {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN_TYPE, null));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        // nimbus probes these sets with contains(null), which Set.of refuses
        new HashSet<>(List.of(settings.audience())),
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
        new HashSet<>(List.of("sub", "exp", ROLE_CLAIM, SITES_CLAIM)),
        new HashSet<>()) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  /** The claims verifier's refusals, in words that name the claim but never repeat the token's values. */
  private static AuthException claimsRefused(BadJWTException e) {
    if (e instanceof ExpiredJWTException) {
      return new AuthException(AuthException.EXPIRED_TOKEN, "the token has expired (exp); sign in again");
    }
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("JWT before use time")) return invalid("the token is not valid yet (nbf)");
    if (m.startsWith("JWT missing required claims")) return invalid(m.replace("JWT", "the token is"));
    if (m.contains("audience")) return invalid("the token is not meant for this service (aud)");
    if (m.contains("iss")) return invalid("the token was not issued by this service's issuer (iss)");
    return invalid("the token's claims are not acceptable");
  }

  private Principal principal(JWTClaimsSet claims) {
    try {
      Instant now = clock.instant();
      Date iat = claims.getIssueTime();
      if (iat != null && iat.toInstant().isAfter(now.plus(settings.clockSkew()))) {
        throw invalid("the token was issued in the future (iat)");
      }
      String kind = claims.getStringClaim(KIND_CLAIM);
      if (DEVICE_KIND.equals(kind) || DEVICE_KIND.equals(claims.getStringClaim("typ"))) {
        throw invalid("device credentials are not accepted here; devices use the device door");
      }
      String subject = claims.getSubject();
      if (subject == null || subject.isBlank()) throw invalid("the token's subject (sub) is empty");
      String roleName = claims.getStringClaim(ROLE_CLAIM);
      Role role = Role.fromWireName(roleName == null ? "" : roleName)
          .orElseThrow(() -> invalid("the token's role is not one of viewer, operator, engineer, admin"));
      List<String> sites = claims.getStringListClaim(SITES_CLAIM);
      if (sites == null || sites.isEmpty()) throw invalid("the token grants no site (sites)");
      for (String s : sites) {
        if (s == null || s.isBlank()) throw invalid("the token's sites contain an empty site id");
      }
      return Principal.person(subject, role, Set.copyOf(sites));
    } catch (ParseException e) {
      throw invalid("the token's role must be a string and its sites an array of strings");
    }
  }

  /** Public RSA (2048 bits or more) and EC P-256 signing keys of a JWK set file; anything else is skipped. */
  private static List<JWK> publicKeys(Path file) {
    JWKSet set;
    try {
      set = JWKSet.load(file.toFile());
    } catch (IOException | ParseException e) {
      throw new IllegalStateException(AuthSettings.CONFIG_PATH + ".jwks-file: cannot read a JWK set from " + file + ": " + e.getMessage(), e);
    }
    List<JWK> out = new ArrayList<>();
    for (JWK k : set.getKeys()) {
      if (k.getKeyUse() != null && k.getKeyUse() != KeyUse.SIGNATURE) continue;
      if (k.isPrivate() && !(k instanceof OctetSequenceKey)) {
        log.warn("{} holds a private key ({}): only its public part is used; keep private keys off this node", file, k.getKeyID());
      }
      if (k instanceof RSAKey && ((RSAKey) k).size() >= 2048 && algorithmIs(k, JWSAlgorithm.RS256)) {
        out.add(k.toPublicJWK());
      } else if (k instanceof ECKey && Curve.P_256.equals(((ECKey) k).getCurve()) && algorithmIs(k, JWSAlgorithm.ES256)) {
        out.add(k.toPublicJWK());
      } else {
        log.warn("{}: key {} skipped (only RSA >= 2048 bits for RS256 and EC P-256 for ES256 are used)", file, k.getKeyID());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException(AuthSettings.CONFIG_PATH + ".jwks-file: " + file + " holds no RS256 or ES256 public key");
    }
    return out;
  }

  private static boolean algorithmIs(JWK k, JWSAlgorithm alg) {
    return k.getAlgorithm() == null || alg.equals(k.getAlgorithm());
  }

  /** An algorithm name from a token, shortened and stripped to letters and digits before it is repeated. */
  private static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9+-]", "");
    return s.length() > 16 ? s.substring(0, 16) : s;
  }

  private static AuthException invalid(String detail) {
    return new AuthException(AuthException.INVALID_TOKEN, detail);
  }
}

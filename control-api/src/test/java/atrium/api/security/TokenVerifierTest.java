package atrium.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenVerifierTest {
  private static final Instant NOW = Instant.parse("2026-12-24T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] SECRET = "a-test-secret-of-more-than-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
  private static final String ISSUER = "atrium";
  private static final String AUDIENCE = "atrium-control-room";

  private Path dir;

  private RSAKey rsa;
  private ECKey ec;
  private Path jwks;
  private TokenVerifier verifier;

  @BeforeAll
  void keys(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    rsa = new RSAKeyGenerator(2048).keyID("idp-rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("idp-ec-1").generate();
    jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(java.util.Arrays.asList(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
    verifier = new TokenVerifier(settings(Optional.of(SECRET), Optional.of(jwks)), CLOCK);
  }

  private static AuthSettings settings(Optional<byte[]> secret, Optional<Path> jwks) {
    return new AuthSettings(ISSUER, AUDIENCE, secret, jwks, Duration.ofSeconds(30), false);
  }

  /** Valid claims for alice, operator on demo-mall; {@code change} alters them. */
  private static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(ISSUER).audience(AUDIENCE).subject("alice")
        .issueTime(Date.from(NOW.minusSeconds(60))).notBeforeTime(Date.from(NOW.minusSeconds(60)))
        .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
        .claim("role", "operator").claim("sites", List.of("demo-mall"));
    change.accept(b);
    return b.build();
  }

  private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String hs256(JWTClaimsSet claims) throws Exception {
    return sign(new JWSHeader(JWSAlgorithm.HS256), claims, new MACSigner(SECRET));
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  /** Asserts the refusal's slug, and that its detail repeats no part of the token. */
  private AuthException refused(TokenVerifier v, String token, String slug) {
    AuthException e = assertThrows(AuthException.class, () -> v.verify(bearer(token)));
    assertEquals(slug, e.slug(), e.getMessage());
    for (String part : token.split("\\.")) {
      if (part.length() > 8) assertFalse(e.getMessage().contains(part), "detail echoes the token: " + e.getMessage());
    }
    return e;
  }

  private AuthException refused(String token, String slug) {
    return refused(verifier, token, slug);
  }

  @Test
  void anHs256TokenWithTheSharedSecretNamesItsPerson() throws Exception {
    Principal p = verifier.verify(bearer(hs256(claims(b -> {}))));
    assertEquals(Principal.person("alice", Role.OPERATOR, Set.of("demo-mall")), p);
    assertTrue(p.mayAccessSite("demo-mall"));
    assertFalse(p.mayAccessSite("other-mall"));
    assertFalse(p.device());
  }

  @Test
  void eachOfTheFourRolesIsReadFromItsWireName() throws Exception {
    for (Role role : Role.values()) {
      String token = hs256(claims(b -> b.claim("role", role.wireName())));
      assertEquals(role, verifier.verify(bearer(token)).role());
    }
  }

  @Test
  void anRs256TokenSignedWithAKeyOfTheJwksFileIsAccepted() throws Exception {
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(),
        claims(b -> b.claim("role", "engineer")), new RSASSASigner(rsa));
    assertEquals(Role.ENGINEER, verifier.verify(bearer(token)).role());
  }

  @Test
  void anEs256TokenSignedWithAKeyOfTheJwksFileIsAccepted() throws Exception {
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
        claims(b -> b.claim("role", "admin").claim("sites", List.of("*"))), new ECDSASigner(ec));
    Principal p = verifier.verify(bearer(token));
    assertEquals(Role.ADMIN, p.role());
    assertTrue(p.mayAccessSite("any-mall"));
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndSurroundingSpaceIgnored() throws Exception {
    assertEquals("alice", verifier.verify("  bearer   " + hs256(claims(b -> {})) + " ").subject());
  }

  @Test
  void theIssuersOwnTokensAreAccepted() {
    String token = new TokenIssuer(settings(Optional.of(SECRET), Optional.empty()), CLOCK)
        .mint("bob", Role.VIEWER, Set.of("demo-mall", "east-mall"), Duration.ofHours(8));
    assertEquals(Principal.person("bob", Role.VIEWER, Set.of("demo-mall", "east-mall")), verifier.verify(bearer(token)));
  }

  @Test
  void noHeaderOrAnotherSchemeIsMissingCredentials() {
    for (String header : new String[] {null, "", "   ", "Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer   ", "Token abc"}) {
      AuthException e = assertThrows(AuthException.class, () -> verifier.verify(header), String.valueOf(header));
      assertEquals(AuthException.MISSING_CREDENTIALS, e.slug(), String.valueOf(header));
    }
  }

  @Test
  void anUnsignedTokenWithAlgNoneIsRefused() {
    String token = new PlainJWT(claims(b -> {})).serialize();
    assertTrue(refused(token, AuthException.INVALID_TOKEN).getMessage().contains("none"));
  }

  @Test
  void anAlgNoneHeaderWithAStolenSignatureIsRefused() throws Exception {
    String[] good = hs256(claims(b -> {})).split("\\.");
    String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
    refused(noneHeader + "." + good[1] + "." + good[2], AuthException.INVALID_TOKEN);
    refused(noneHeader + "." + good[1] + ".", AuthException.INVALID_TOKEN);
  }

  @Test
  void aSignatureMadeWithAnotherSecretIsRefused() throws Exception {
    String forged = sign(new JWSHeader(JWSAlgorithm.HS256), claims(b -> b.claim("role", "admin")),
        new MACSigner("another-secret-of-more-than-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8)));
    refused(forged, AuthException.INVALID_TOKEN);
  }

  @Test
  void aPayloadChangedAfterSigningIsRefused() throws Exception {
    String[] parts = hs256(claims(b -> {})).split("\\.");
    String raised = claims(b -> b.claim("role", "admin").claim("sites", List.of("*"))).toPayload().toBase64URL().toString();
    refused(parts[0] + "." + raised + "." + parts[2], AuthException.INVALID_TOKEN);
  }

  @Test
  void aTokenOfAnotherIssuerIsRefused() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.issuer("someone-else"))), AuthException.INVALID_TOKEN);
    assertTrue(e.getMessage().contains("iss"), e.getMessage());
    assertFalse(e.getMessage().contains("someone-else"));
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.audience("billing"))), AuthException.INVALID_TOKEN);
    assertTrue(e.getMessage().contains("aud"), e.getMessage());
    refused(hs256(claims(b -> b.audience((String) null))), AuthException.INVALID_TOKEN);
  }

  @Test
  void anExpiredTokenIsRefusedAsExpired() throws Exception {
    refused(hs256(claims(b -> b.expirationTime(Date.from(NOW.minusSeconds(31))))), AuthException.EXPIRED_TOKEN);
  }

  @Test
  void aTokenExpiredWithinTheClockSkewIsStillAccepted() throws Exception {
    assertEquals("alice", verifier.verify(bearer(hs256(claims(b -> b.expirationTime(Date.from(NOW.minusSeconds(20))))))).subject());
  }

  @Test
  void aTokenWithoutExpiryIsRefused() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.expirationTime(null))), AuthException.INVALID_TOKEN);
    assertTrue(e.getMessage().contains("exp"), e.getMessage());
  }

  @Test
  void aTokenNotYetValidIsRefused() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.notBeforeTime(Date.from(NOW.plusSeconds(120))))), AuthException.INVALID_TOKEN);
    assertTrue(e.getMessage().contains("nbf"), e.getMessage());
  }

  @Test
  void aTokenIssuedInTheFutureIsRefused() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.issueTime(Date.from(NOW.plusSeconds(120))))), AuthException.INVALID_TOKEN);
    assertTrue(e.getMessage().contains("iat"), e.getMessage());
  }

  @Test
  void anHmacComputedWithTheRsaPublicKeyAsSecretIsRefused() throws Exception {
    // the classic algorithm confusion: alg HS256, kid of the RSA key, the public key's bytes as HMAC secret
    byte[] der = rsa.toRSAPublicKey().getEncoded();
    byte[] pem = ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] jwkJson = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    TokenVerifier jwksOnly = new TokenVerifier(settings(Optional.empty(), Optional.of(jwks)), CLOCK);
    for (byte[] key : List.of(der, pem, jwkJson)) {
      for (String kid : new String[] {rsa.getKeyID(), null}) {
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(),
            claims(b -> b.claim("role", "admin")), new MACSigner(key));
        refused(verifier, token, AuthException.INVALID_TOKEN);
        refused(jwksOnly, token, AuthException.INVALID_TOKEN);
      }
    }
  }

  @Test
  void anRs256HeaderOverAnHmacOfThePublicKeyIsRefused() throws Exception {
    String header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build().toBase64URL().toString();
    String payload = claims(b -> b.claim("role", "admin")).toPayload().toBase64URL().toString();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(rsa.toRSAPublicKey().getEncoded(), "HmacSHA256"));
    String signature = Base64URL.encode(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII))).toString();
    refused(header + "." + payload + "." + signature, AuthException.INVALID_TOKEN);
  }

  @Test
  void aTokenSignedWithAnUnknownKeyIdIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("not-ours").generate();
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("not-ours").build(), claims(b -> {}), new RSASSASigner(stranger));
    assertTrue(refused(token, AuthException.INVALID_TOKEN).getMessage().contains("kid"));
  }

  @Test
  void aTokenSignedWithAStrangeRsaKeyUnderAKnownKeyIdIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).generate();
    String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims(b -> {}), new RSASSASigner(stranger));
    refused(token, AuthException.INVALID_TOKEN);
  }

  @Test
  void algorithmsOtherThanHs256Rs256Es256AreRefusedEvenWithAGoodKey() throws Exception {
    refused(sign(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(rsa.getKeyID()).build(), claims(b -> {}), new RSASSASigner(rsa)),
        AuthException.INVALID_TOKEN);
    refused(sign(new JWSHeader(JWSAlgorithm.HS512), claims(b -> {}),
        new MACSigner("a-secret-of-sixty-four-bytes-for-hs512-a-secret-of-sixty-four-by".getBytes(StandardCharsets.UTF_8))),
        AuthException.INVALID_TOKEN);
  }

  @Test
  void hs256IsRefusedWhenNoSharedSecretIsConfigured() throws Exception {
    TokenVerifier jwksOnly = new TokenVerifier(settings(Optional.empty(), Optional.of(jwks)), CLOCK);
    refused(jwksOnly, hs256(claims(b -> {})), AuthException.INVALID_TOKEN);
  }

  @Test
  void anEncryptedTokenIsRefused() throws Exception {
    EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims(b -> {}));
    jwe.encrypt(new DirectEncrypter(new byte[32]));
    assertTrue(refused(jwe.serialize(), AuthException.INVALID_TOKEN).getMessage().contains("JWE"));
  }

  @Test
  void garbageIsAnInvalidToken() {
    for (String garbage : new String[] {"abc", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.e30", "%%%.%%%.%%%", "x".repeat(10_000)}) {
      AuthException e = assertThrows(AuthException.class, () -> verifier.verify(bearer(garbage)), garbage);
      assertEquals(AuthException.INVALID_TOKEN, e.slug(), garbage);
    }
  }

  @Test
  void aTokenWithoutRoleIsRefused() throws Exception {
    refused(hs256(claims(b -> b.claim("role", null))), AuthException.INVALID_TOKEN);
  }

  @Test
  void aRoleOutsideTheFourWireNamesIsRefused() throws Exception {
    for (Object role : new Object[] {"superuser", "Admin", "ADMIN", "", 3, List.of("admin")}) {
      refused(hs256(claims(b -> b.claim("role", role))), AuthException.INVALID_TOKEN);
    }
  }

  @Test
  void missingEmptyOrMalformedSitesAreRefused() throws Exception {
    for (Object sites : new Object[] {null, List.of(), "demo-mall", List.of(""), List.of(1, 2)}) {
      refused(hs256(claims(b -> b.claim("sites", sites))), AuthException.INVALID_TOKEN);
    }
  }

  @Test
  void aTokenWithoutSubjectIsRefused() throws Exception {
    refused(hs256(claims(b -> b.subject(null))), AuthException.INVALID_TOKEN);
    refused(hs256(claims(b -> b.subject(" "))), AuthException.INVALID_TOKEN);
  }

  @Test
  void deviceCredentialsAreRefusedAtThePeoplesDoor() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.claim("kind", "device"))), AuthException.INVALID_TOKEN);
    assertTrue(e.getMessage().contains("device"), e.getMessage());
    refused(hs256(claims(b -> b.claim("typ", "device"))), AuthException.INVALID_TOKEN);
  }

  @Test
  void aNodeWithoutKeysRefusesEveryTokenAndSaysSignInIsNotConfigured() throws Exception {
    TokenVerifier none = new TokenVerifier(settings(Optional.empty(), Optional.empty()), CLOCK);
    assertFalse(none.signInConfigured());
    AuthException e = refused(none, hs256(claims(b -> {})), AuthException.SIGN_IN_NOT_CONFIGURED);
    assertTrue(e.getMessage().contains("atrium.auth"), e.getMessage());
    refused(none, new PlainJWT(claims(b -> {})).serialize(), AuthException.SIGN_IN_NOT_CONFIGURED);
  }

  @Test
  void aJwksFileWithoutUsableKeysStopsTheStart() throws Exception {
    Path empty = dir.resolve("empty-jwks.json");
    Files.writeString(empty, new JWKSet(java.util.Arrays.asList(new RSAKeyGenerator(1024, true).generate().toPublicJWK())).toString());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new TokenVerifier(settings(Optional.empty(), Optional.of(empty)), CLOCK));
    assertTrue(e.getMessage().contains("atrium.auth.jwks-file"), e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> new TokenVerifier(settings(Optional.empty(), Optional.of(dir.resolve("absent.json"))), CLOCK));
  }

  @Test
  void theChallengeHeaderNamesTheErrorWithoutTheToken() throws Exception {
    AuthException e = refused(hs256(claims(b -> b.issuer("x"))), AuthException.INVALID_TOKEN);
    assertTrue(e.wwwAuthenticate().startsWith("Bearer realm=\"atrium\", error=\"invalid_token\""), e.wwwAuthenticate());
    assertEquals("Bearer realm=\"atrium\"", assertThrows(AuthException.class, () -> verifier.verify(null)).wwwAuthenticate());
  }

  @Test
  void settingsRefuseASecretShorterThan256BitsAndDecodeBase64() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> settings(Optional.of("short".getBytes(StandardCharsets.UTF_8)), Optional.empty()));
    assertTrue(e.getMessage().contains("ATRIUM_AUTH_SECRET"), e.getMessage());
    byte[] raw = new byte[32];
    raw[0] = (byte) 0xff;
    assertEquals(Base64.getEncoder().encodeToString(raw),
        Base64.getEncoder().encodeToString(AuthSettings.decodeSecret("base64:" + Base64.getEncoder().encodeToString(raw))));
    assertEquals("plain", new String(AuthSettings.decodeSecret("plain"), StandardCharsets.UTF_8));
    AuthSettings fromConfig = AuthSettings.create(com.typesafe.config.ConfigFactory.parseMap(Map.of(
        "atrium.auth.issuer", "atrium", "atrium.auth.audience", "atrium-control-room",
        "atrium.auth.hmac-secret", "", "atrium.auth.jwks-file", "", "atrium.auth.clock-skew", "30s",
        "atrium.auth.generate-secret-if-missing", false)));
    assertFalse(fromConfig.signInConfigured());
    assertFalse(fromConfig.toString().contains("secret="), fromConfig.toString());
  }
}

package atrium.core.privacy;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns personal identifiers (licence plates) into tokens at the door, before they reach an entity
 * or a log (M §7.6.3, S §4(5)1): a keyed hash (HMAC-SHA-256), so the same plate gives the same token
 * (a car can be found again) but the plate cannot be recovered without the key. Rotating the key
 * makes every earlier token unlinkable.
 */
public final class Pseudonymiser {
  private static final Logger log = LoggerFactory.getLogger(Pseudonymiser.class);
  /** The development key: refused nowhere, but announced loudly. */
  public static final String DEVELOPMENT_KEY = "atrium-development-key-change-me";

  private final SecretKeySpec key;

  public Pseudonymiser(String key) {
    if (key == null || key.length() < 16) throw new IllegalArgumentException("atrium.privacy.pseudonym-key: at least 16 characters");
    this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public static Pseudonymiser create(Config config) {
    String key = config.getString("atrium.privacy.pseudonym-key");
    if (key.equals(DEVELOPMENT_KEY)) {
      log.warn("atrium.privacy.pseudonym-key is the development key: set ATRIUM_PSEUDONYM_KEY in production");
    }
    return new Pseudonymiser(key);
  }

  /** A licence plate as read by different cameras: upper case, no spaces, dots or dashes, NFKC. */
  public static String normalisePlate(String plate) {
    String n = Normalizer.normalize(plate, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
    return n.replaceAll("[\\s·.\\-]", "");
  }

  /** The token of a plate: {@code pt_} and 24 hex digits (96 bits of the HMAC). */
  public String plateToken(String plate) {
    String normal = normalisePlate(plate);
    if (normal.isEmpty() || normal.length() > 16) throw new IllegalArgumentException("not a licence plate");
    return "pt_" + HexFormat.of().formatHex(hmac("plate:" + normal), 0, 12);
  }

  private byte[] hmac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}

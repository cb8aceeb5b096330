package atrium.core.asset;

import atrium.core.CborSerializable;
import java.util.regex.Pattern;

/**
 * A typed asset identity: the site, the kind, and the id local to that site and kind
 * (e.g. {@code demo-mall / parking-bay / P1-L1-B0001}).
 *
 * <p>The sharding entity id is {@code site/localId}; the kind is the entity type.
 */
public record AssetId(String site, AssetKind kind, String localId) implements CborSerializable {
  /** Site and local ids: letters, digits, '.', '_' and '-', 1 to 64 characters. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public AssetId {
    requireName("site", site);
    if (kind == null) throw new IllegalArgumentException("kind: required");
    requireName("localId", localId);
  }

  public static AssetId of(String site, AssetKind kind, String localId) {
    return new AssetId(site, kind, localId);
  }

  /** Parses a sharding entity id ({@code site/localId}) of the given kind. */
  public static AssetId fromEntityId(AssetKind kind, String entityId) {
    int slash = entityId.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("entity id '" + entityId + "' is not site/localId");
    return new AssetId(entityId.substring(0, slash), kind, entityId.substring(slash + 1));
  }

  public String entityId() {
    return site + "/" + localId;
  }

  public static boolean isValidName(String s) {
    return s != null && NAME.matcher(s).matches();
  }

  private static void requireName(String field, String value) {
    if (!isValidName(value)) {
      throw new IllegalArgumentException(field + ": '" + value + "' must match " + NAME.pattern());
    }
  }

  @Override
  public String toString() {
    return site + "/" + kind.wireName() + "/" + localId;
  }
}

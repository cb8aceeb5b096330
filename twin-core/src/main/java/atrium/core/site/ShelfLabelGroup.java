package atrium.core.site;

import java.util.Locale;

/**
 * The electronic shelf labels of one shop, not listed one by one: {@code count} labels with ids
 * {@code <idPrefix>-00001} to {@code <idPrefix>-<count>} (five digits).
 */
public record ShelfLabelGroup(String zone, String idPrefix, int count) {
  public static final int MAX_COUNT = 99_999;

  /** The id of the n-th label, counting from 1. */
  public String labelId(int n) {
    return String.format(Locale.ROOT, "%s-%05d", idPrefix, n);
  }
}

package atrium.core.site;

import java.util.Collections;
import java.util.List;

final class Lists {
  private Lists() {}

  /**
   * A read-only view, or {@code null} for {@code null}. Not {@code List.copyOf}: that refuses null
   * elements, and a site with a null element must reach the validator to be reported, not fail in a
   * constructor.
   */
  static <T> List<T> frozen(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(list);
  }
}

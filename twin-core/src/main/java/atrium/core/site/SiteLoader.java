package atrium.core.site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads and checks a site file. Nothing is returned unless the whole file is right; otherwise a
 * {@link SiteValidationException} lists every error found, each at its JSON path.
 *
 * <p>Two rounds. The shape (JSON syntax, field names, types, required fields, enum values) is checked
 * by {@link StrictBinding}: when binding fails, the parts are bound one by one so that every shape
 * error is found, not only the first. Unknown fields alone do not stop the binding. If the site
 * binds, {@link SiteValidator} checks the meaning: ranges, id syntax, unique ids, references.
 */
public final class SiteLoader {
  private static final StrictBinding BINDING = StrictBinding.of(SiteJson.MAPPER, OptionalField.class);

  private SiteLoader() {}

  public static Site load(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  public static Site load(InputStream in, String sourceName) throws IOException {
    return parse(in.readAllBytes(), sourceName);
  }

  public static Site parse(byte[] json) {
    return parse(json, "site JSON");
  }

  private static Site parse(byte[] json, String source) {
    Set<FieldError> errors = new LinkedHashSet<>();
    Site site = BINDING.read(json, Site.class, "a site object", errors);
    if (site != null) errors.addAll(SiteValidator.validate(site));
    if (!errors.isEmpty()) throw new SiteValidationException(source, new ArrayList<>(errors));
    return site;
  }
}

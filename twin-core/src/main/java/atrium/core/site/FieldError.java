package atrium.core.site;

/** One thing wrong with a site file: where ({@code $.zones[12].area}) and what, in words. */
public record FieldError(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}

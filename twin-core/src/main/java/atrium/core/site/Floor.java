package atrium.core.site;

/** A storey. {@code level} is negative below ground (B1 is -1); {@code elevation} is in metres. */
public record Floor(String id, int level, LocalizedName name, double elevation) {}

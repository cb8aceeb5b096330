package atrium.core.site;

/** An emergency exit out of the building from {@code zone}; {@code width} in metres. */
public record Exit(String id, String zone, double width, LocalizedName name) {}

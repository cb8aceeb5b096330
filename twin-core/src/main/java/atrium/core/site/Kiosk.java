package atrium.core.site;

/** A self-service terminal (wayfinding, merchant information, evacuation guidance) in a zone. */
public record Kiosk(String id, String zone) {}

package atrium.core.site;

/** A point on a floor plan, in metres from the plan's origin. */
public record Point(double x, double y) {}

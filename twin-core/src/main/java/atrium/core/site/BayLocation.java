package atrium.core.site;

/** Where a bay is: its car park and level. */
public record BayLocation(String carParkId, String levelId, Bay bay) {}

package atrium.core.site;

/** A name shown to people, in Chinese and in English. */
public record LocalizedName(String zh, String en) {}

package atrium.sim.crowd;

/**
 * The queue at a link's entrance, where people wait for its capacity (a jam): the longest it has
 * been, the seconds during which anyone waited, the person-seconds waited and its length now.
 */
public record QueueStats(String link, int maxLength, double secondsWithQueue, double personSeconds, int length) {}

package atrium.api.mqtt;

import atrium.api.device.DeviceGrant;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import java.util.Optional;

/**
 * The device topics, {@code atrium/{site}/{kind}/{assetId}/{telemetry|event|ack|command}}: parsing a
 * publish topic, the command topic of an asset, and which subscription filters a grant may use.
 */
record DeviceTopic(AssetId asset, Channel channel) {
  static final String ROOT = "atrium";

  enum Channel {
    TELEMETRY("telemetry", "telemetry"),
    EVENT("event", "event"),
    ACK("ack", "ack"),
    COMMAND("command", "command");

    final String suffix;
    /** The envelope {@code type} a message on this channel must have. */
    final String envelopeType;

    Channel(String suffix, String envelopeType) {
      this.suffix = suffix;
      this.envelopeType = envelopeType;
    }

    static Optional<Channel> ofSuffix(String s) {
      for (Channel c : values()) if (c.suffix.equals(s)) return Optional.of(c);
      return Optional.empty();
    }
  }

  /** A topic a device cannot publish on; the message says why. */
  static final class InvalidTopic extends Exception {
    InvalidTopic(String reason) {
      super(reason, null, false, false);
    }
  }

  static String commandTopic(AssetId asset) {
    return ROOT + "/" + asset.site() + "/" + asset.kind().wireName() + "/" + asset.localId() + "/" + Channel.COMMAND.suffix;
  }

  /** Parses a topic a device publishes on: exactly five levels, no wildcards, a device-to-twin channel. */
  static DeviceTopic parsePublish(String topic) throws InvalidTopic {
    if (topic == null || topic.isEmpty()) throw new InvalidTopic("empty topic");
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) throw new InvalidTopic("wildcards are not allowed in a publish topic");
    String[] l = topic.split("/", -1);
    if (l.length != 5 || !ROOT.equals(l[0])) {
      throw new InvalidTopic("expected atrium/{site}/{kind}/{assetId}/telemetry|event|ack");
    }
    if (!AssetId.isValidName(l[1])) throw new InvalidTopic("site '" + l[1] + "' must match " + AssetId.NAME.pattern());
    AssetKind kind = AssetKind.fromWireName(l[2])
        .orElseThrow(() -> new InvalidTopic("unknown kind '" + l[2] + "'; expected one of " + AssetKind.wireNames()));
    if (!AssetId.isValidName(l[3])) throw new InvalidTopic("asset id '" + l[3] + "' must match " + AssetId.NAME.pattern());
    Channel channel = Channel.ofSuffix(l[4]).filter(c -> c != Channel.COMMAND)
        .orElseThrow(() -> new InvalidTopic("a device publishes on .../telemetry, .../event or .../ack, not .../" + l[4]));
    return new DeviceTopic(AssetId.of(l[1], kind, l[3]), channel);
  }

  /**
   * Why {@code grant} may not subscribe to {@code filter}, or null when it may: command topics of
   * its own assets; a site gateway may put {@code +} for the kind and the asset id of its site.
   */
  static String subscriptionProblem(String filter, DeviceGrant grant) {
    if (filter.indexOf('#') >= 0) return "'#' is not allowed; subscribe to atrium/{site}/{kind}/{assetId}/command";
    String[] l = filter.split("/", -1);
    if (l.length != 5 || !ROOT.equals(l[0]) || !Channel.COMMAND.suffix.equals(l[4])) {
      return "only command topics atrium/{site}/{kind}/{assetId}/command can be subscribed to";
    }
    if (!grant.site().equals(l[1])) return "site '" + l[1] + "' is not this device's site '" + grant.site() + "'";
    boolean kindWild = l[2].equals("+"), idWild = l[3].equals("+");
    if ((kindWild || idWild) && !grant.gateway()) return "only a site gateway may subscribe with '+'";
    if (!kindWild && AssetKind.fromWireName(l[2]).isEmpty()) return "unknown kind '" + l[2] + "'";
    if (!idWild && !AssetId.isValidName(l[3])) return "asset id '" + l[3] + "' must match " + AssetId.NAME.pattern();
    if (l[2].indexOf('+') >= 0 && !kindWild || l[3].indexOf('+') >= 0 && !idWild) return "'+' must fill a whole level";
    if (!kindWild && !idWild && !grant.mayActFor(AssetId.of(l[1], AssetKind.fromWireName(l[2]).get(), l[3]))) {
      return "not this device's command topic";
    }
    return null;
  }

  /** Does a filter (whole-level {@code +} only, no {@code #}: see {@link #subscriptionProblem}) match a topic? */
  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1), t = topic.split("/", -1);
    if (f.length != t.length) return false;
    for (int i = 0; i < f.length; i++) {
      if (!f[i].equals("+") && !f[i].equals(t[i])) return false;
    }
    return true;
  }
}

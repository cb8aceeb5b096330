package atrium.api.mqtt;

import atrium.api.device.DeviceGrant;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.devices.TwinException;
import atrium.devices.TwinGateway.Ingested;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device connection: CONNECT with a device credential, publishes to the twin, subscriptions to
 * its own command topics, keep-alive and last will. Everything runs on the channel's event loop;
 * the twin's answers and the commands come back to it by {@code execute}.
 *
 * <p>Reads are driven here (auto-read off, one packet per read through the flow-control handler):
 * the next packet is read only while fewer than {@code max-in-flight-per-connection} publishes of
 * this connection are outstanding and the server-wide {@code InFlightLimit} had a permit for the last
 * one. A publish that finds the server-wide bound full waits (one per connection) and is retried
 * on a short timer; nothing else is buffered.
 *
 * <p>Any protocol violation — a packet before CONNECT, a second CONNECT, a wildcard or foreign
 * publish topic, a malformed payload, QoS 2, a malformed or oversized packet, a keep-alive
 * timeout — is logged at WARN with the client id and the reason, and closes the connection (MQTT 5
 * clients first get a DISCONNECT with the reason code).
 */
final class MqttSessionHandler extends SimpleChannelInboundHandler<MqttMessage> {
  private static final Logger log = LoggerFactory.getLogger(MqttSessionHandler.class);
  private static final int MQTT_3_1_1 = 4;
  private static final int MQTT_5 = 5;
  private static final long PARKED_RETRY_FIRST_MS = 5;
  private static final long PARKED_RETRY_MAX_MS = 100;

  private enum Phase { AWAITING_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

  /** A QoS 1 publish in arrival order; its PUBACK leaves once it and all before it are done. */
  private static final class PendingAck {
    final int packetId;
    boolean done;
    /** The MQTT 5 reason code of the PUBACK (0 = success); ignored for 3.1.1. */
    byte reasonCode;

    PendingAck(int packetId) {
      this.packetId = packetId;
    }
  }

  /** A publish that found the server-wide bound full, waiting for a permit. */
  private record Parked(Envelope envelope, int qos, int packetId) {}

  /** Why a packet closes the connection: an MQTT 5 DISCONNECT reason code and a reason for the log. */
  private static final class Violation extends Exception {
    final MqttReasonCodes.Disconnect code;

    Violation(MqttReasonCodes.Disconnect code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }
  }

  private final MqttDoor door;
  private ChannelHandlerContext ctx;
  private Phase phase = Phase.AWAITING_CONNECT;
  private String remote = "?";
  private int version = MQTT_3_1_1;
  private String clientId;
  private DeviceGrant grant;
  private long presenceSession;
  private Envelope will;
  private boolean disconnected;
  private boolean takenOver;
  private String closeReason;
  private ScheduledFuture<?> connectTimer;
  private boolean readOutstanding;
  private boolean readScheduled;
  private int inFlightHere;
  private Parked parked;
  private long parkedRetryMs = PARKED_RETRY_FIRST_MS;
  private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
  /** Subscription filter → granted QoS (0 or 1). */
  private final Map<String, Integer> subscriptions = new HashMap<>();
  /** QoS 1 commands sent and not yet acknowledged by the device: packet id → command id. */
  private final Map<Integer, String> outgoing = new HashMap<>();
  private int nextPacketId = 1;

  MqttSessionHandler(MqttDoor door) {
    super(MqttMessage.class, true);
    this.door = door;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    remote = String.valueOf(ctx.channel().remoteAddress());
    long timeout = door.settings().connectTimeout().toMillis();
    connectTimer = ctx.executor().schedule(() -> {
      if (phase == Phase.AWAITING_CONNECT || phase == Phase.AUTHENTICATING) {
        log.warn("MQTT connection from {}: no CONNECT accepted within {} ms; closing", remote, timeout);
        closeReason = "no CONNECT within " + timeout + " ms";
        phase = Phase.CLOSED;
        ctx.close();
      }
    }, timeout, TimeUnit.MILLISECONDS);
    scheduleRead();
    ctx.fireChannelActive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readOutstanding = false;
    readMore();
    ctx.fireChannelReadComplete();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
    readOutstanding = false;
    if (phase == Phase.CLOSED) return;
    try {
      if (msg.decoderResult().isFailure()) {
        decodeFailure(msg.decoderResult().cause());
        return;
      }
      if (phase == Phase.CONNECTED) door.presence().seen(clientId, presenceSession);
      MqttMessageType type = msg.fixedHeader().messageType();
      if (type == MqttMessageType.CONNECT) {
        onConnect((MqttConnectMessage) msg);
      } else if (phase != Phase.CONNECTED) {
        throw new Violation(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, type + " before CONNECT");
      } else {
        switch (type) {
          case PUBLISH:
            onPublish((MqttPublishMessage) msg);
            break;
          case PUBACK:
            onPubAck((MqttPubAckMessage) msg);
            break;
          case SUBSCRIBE:
            onSubscribe((MqttSubscribeMessage) msg);
            break;
          case UNSUBSCRIBE:
            onUnsubscribe((MqttUnsubscribeMessage) msg);
            break;
          case PINGREQ:
            ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            break;
          case DISCONNECT:
            disconnected = true;
            will = null;
            phase = Phase.CLOSED;
            ctx.close();
            return;
          case PUBREC:
          case PUBREL:
          case PUBCOMP:
            throw new Violation(MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED, type + ": QoS 2 is not supported; use QoS 0 or 1");
          default:
            throw new Violation(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "unexpected " + type + " from a client");
        }
      }
    } catch (Violation v) {
      violation(v);
      return;
    }
    readMore();
  }

  // ---------------------------------------------------------------- CONNECT

  private void onConnect(MqttConnectMessage m) throws Violation {
    if (phase != Phase.AWAITING_CONNECT) throw new Violation(MqttReasonCodes.Disconnect.PROTOCOL_ERROR, "a second CONNECT");
    var h = m.variableHeader();
    var p = m.payload();
    version = h.version();
    if (version != MQTT_3_1_1 && version != MQTT_5) {
      refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
          "protocol level " + version + " is not spoken here; use MQTT 3.1.1 or 5");
      return;
    }
    clientId = p.clientIdentifier();
    if (clientId == null || clientId.isEmpty()) {
      if (!h.isCleanSession()) {
        refuseConnect(v5(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
            MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED), "an empty client id needs a clean session");
        return;
      }
      clientId = "atrium-" + ctx.channel().id().asShortText();
    }
    if (!h.hasUserName() || !h.hasPassword()) {
      refuseConnect(badCredentials(), "no user name and password (devices connect with a device credential)");
      return;
    }
    String username = p.userName();
    String password = new String(p.passwordInBytes(), StandardCharsets.UTF_8);
    String willTopic = h.isWillFlag() ? p.willTopic() : null;
    byte[] willPayload = h.isWillFlag() ? p.willMessageInBytes() : null;
    int keepAliveSeconds = h.keepAliveTimeSeconds();
    phase = Phase.AUTHENTICATING;
    CompletableFuture<Optional<DeviceGrant>> checked;
    try {
      checked = CompletableFuture.supplyAsync(() -> door.credentials().verify(username, password), door.passwordChecks());
    } catch (RejectedExecutionException e) {
      refuseConnect(v5(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE),
          "too many connections being authenticated at once; try again shortly");
      return;
    }
    checked.whenComplete((g, e) -> onLoop(() -> onVerified(username, g, e, willTopic, willPayload, keepAliveSeconds)));
  }

  private void onVerified(String username, Optional<DeviceGrant> checked, Throwable failure, String willTopic,
      byte[] willPayload, int keepAliveSeconds) {
    if (phase != Phase.AUTHENTICATING || !ctx.channel().isActive()) return;
    if (failure != null) {
      log.error("MQTT client {} ({}): checking the credential of '{}' failed", clientId, remote, username, failure);
      refuseConnect(v5(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
          MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE), "the credential could not be checked");
      return;
    }
    if (checked.isEmpty()) {
      refuseConnect(badCredentials(), "bad user name or password for '" + username + "'");
      return;
    }
    DeviceGrant g = checked.get();
    if (willTopic != null) {
      try {
        will = validate(g, willTopic, willPayload);
      } catch (Violation v) {
        refuseConnect(v5(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
            MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED), "last will refused: " + v.getMessage());
        return;
      }
    }
    MqttSessionHandler existing = door.sessions().get(clientId);
    if (existing != null && !existing.grant.username().equals(g.username())) {
      refuseConnect(v5(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
          MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED),
          "client id '" + clientId + "' is in use by another credential");
      return;
    }
    MqttSessionHandler previous = door.sessions().put(clientId, this);
    if (previous != null && previous != this) previous.takeOver();
    grant = g;
    phase = Phase.CONNECTED;
    connectTimer.cancel(false);
    presenceSession = door.presence().connected(clientId, g.username(), g.site(), remote);
    door.commands().register(g.site(), this);
    if (keepAliveSeconds > 0) {
      ctx.pipeline().addBefore(MqttServerInitializer.FLOW_CONTROL, "keep-alive",
          new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    var connAck = MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).sessionPresent(false);
    if (version == MQTT_5) {
      connAck.properties(b -> b.maximumQos((byte) 1).retainAvailable(false).sharedSubscriptionAvailable(false)
          .subscriptionIdentifiersAvailable(false).wildcardSubscriptionAvailable(g.gateway())
          .receiveMaximum(door.settings().maxInFlightPerConnection()).maximumPacketSize(door.settings().maxMessageBytes())
          .topicAliasMaximum(0));
    }
    ctx.writeAndFlush(connAck.build());
    log.info("MQTT client {} connected from {} as '{}' (site {}, {}){}", clientId, remote, g.username(), g.site(),
        g.gateway() ? "site gateway" : g.assets().size() + " asset(s)", will != null ? " with a last will" : "");
    readMore();
  }

  private void refuseConnect(MqttConnectReturnCode code, String reason) {
    log.warn("MQTT client {} ({}): CONNECT refused ({}): {}", clientId == null ? "?" : clientId, remote, code, reason);
    closeReason = reason;
    phase = Phase.CLOSED;
    MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
    ctx.writeAndFlush(ack).addListener(ChannelFutureListener.CLOSE);
  }

  private MqttConnectReturnCode badCredentials() {
    return v5(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
        MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
  }

  private MqttConnectReturnCode v5(MqttConnectReturnCode ifFive, MqttConnectReturnCode ifThree) {
    return version == MQTT_5 ? ifFive : ifThree;
  }

  /** Another connection took this client id over: close without the will (the device is back). */
  private void takeOver() {
    onLoop(() -> {
      if (phase == Phase.CLOSED) return;
      takenOver = true;
      violation(new Violation(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER, "taken over by a new connection with the same client id"));
    });
  }

  // ---------------------------------------------------------------- PUBLISH (device → twin)

  private void onPublish(MqttPublishMessage m) throws Violation {
    int qos = m.fixedHeader().qosLevel().value();
    if (qos == MqttQoS.EXACTLY_ONCE.value()) {
      throw new Violation(MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED, "QoS 2 is not supported; publish with QoS 0 or 1");
    }
    Envelope envelope = validate(grant, m.variableHeader().topicName(), ByteBufUtil.getBytes(m.content()));
    submit(envelope, qos, m.variableHeader().packetId());
  }

  /** The envelope of a publish on {@code topic}, if the topic is one {@code g} may publish on and the payload fits it. */
  private static Envelope validate(DeviceGrant g, String topic, byte[] payload) throws Violation {
    DeviceTopic t;
    try {
      t = DeviceTopic.parsePublish(topic);
    } catch (DeviceTopic.InvalidTopic e) {
      throw new Violation(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID, "publish topic '" + topic + "': " + e.getMessage());
    }
    if (!g.mayActFor(t.asset())) {
      throw new Violation(MqttReasonCodes.Disconnect.NOT_AUTHORIZED,
          "'" + g.username() + "' may not publish for " + t.asset() + " (topic '" + topic + "')");
    }
    Envelope e;
    try {
      e = DeviceProtocol.parse(payload);
    } catch (ProtocolException pe) {
      throw new Violation(MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID,
          "malformed payload on '" + topic + "': " + pe.field() + ": " + pe.reason());
    }
    if (!e.asset().equals(t.asset())) {
      throw new Violation(MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID,
          "the envelope is for " + e.asset() + " but was published on '" + topic + "'");
    }
    String type = typeOf(e);
    if (!type.equals(t.channel().envelopeType)) {
      throw new Violation(MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID,
          "a " + type + " envelope was published on '" + topic + "'; it goes on .../" + type);
    }
    return e;
  }

  private static String typeOf(Envelope e) {
    if (e instanceof Envelope.Telemetry) return "telemetry";
    if (e instanceof Envelope.Event) return "event";
    if (e instanceof Envelope.Ack) return "ack";
    return "command";
  }

  private void submit(Envelope envelope, int qos, int packetId) {
    if (!door.inFlight().tryAcquire(1)) {
      parked = new Parked(envelope, qos, packetId);
      log.debug("MQTT client {}: the server is at its in-flight limit; reads paused", clientId);
      retryParkedLater();
      return;
    }
    ingest(envelope, qos, packetId);
  }

  private void retryParkedLater() {
    long delay = parkedRetryMs;
    parkedRetryMs = Math.min(PARKED_RETRY_MAX_MS, parkedRetryMs * 2);
    ctx.executor().schedule(() -> {
      if (phase != Phase.CONNECTED || parked == null) return;
      if (!door.inFlight().tryAcquire(1)) {
        retryParkedLater();
        return;
      }
      Parked p = parked;
      parked = null;
      parkedRetryMs = PARKED_RETRY_FIRST_MS;
      ingest(p.envelope(), p.qos(), p.packetId());
      readMore();
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Holds one permit of the server-wide bound, released when the twin answers. */
  private void ingest(Envelope envelope, int qos, int packetId) {
    inFlightHere++;
    PendingAck ack = qos == 1 ? new PendingAck(packetId) : null;
    if (ack != null) acks.add(ack);
    CompletionStage<Ingested> stage;
    try {
      stage = door.gateway().ingest(envelope);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((result, failure) -> {
      door.inFlight().release(1);
      onLoop(() -> ingested(envelope, qos, ack, failure));
    });
  }

  /**
   * The twin answered. Applied or duplicate: PUBACK. Refused by the twin in its current state
   * ({@code Rejected}): logged and acknowledged, so the device does not redeliver it for ever.
   * Wrong data for the kind or an unknown asset: bad input, the connection closes. Twin unavailable
   * or timed out: no PUBACK; a QoS 1 connection closes so the device redelivers (the id de-dup
   * makes that safe), a QoS 0 message is dropped with a warning.
   */
  private void ingested(Envelope envelope, int qos, PendingAck ack, Throwable failure) {
    inFlightHere--;
    if (phase != Phase.CONNECTED) return;
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause == null) {
      if (ack != null) ack.done = true;
    } else if (cause instanceof ProtocolException pe) {
      violation(new Violation(MqttReasonCodes.Disconnect.PAYLOAD_FORMAT_INVALID,
          "message " + envelope.id() + " for " + envelope.asset() + " refused: " + pe.field() + ": " + pe.reason()));
      return;
    } else if (cause instanceof TwinException.UnknownAsset) {
      violation(new Violation(MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID,
          "message " + envelope.id() + " refused: " + cause.getMessage()));
      return;
    } else if (cause instanceof TwinException.Rejected) {
      log.warn("MQTT client {}: the twin of {} refused message {} ({}); acknowledged so it is not redelivered",
          clientId, envelope.asset(), envelope.id(), cause.getMessage());
      if (ack != null) {
        ack.done = true;
        ack.reasonCode = MqttReasonCodes.PubAck.IMPLEMENTATION_SPECIFIC_ERROR.byteValue();
      }
    } else {
      boolean expected = cause instanceof TwinException.Unavailable || cause instanceof TimeoutException;
      if (!expected) log.error("MQTT client {}: unexpected failure applying message {}", clientId, envelope.id(), cause);
      if (qos == 1) {
        violation(new Violation(MqttReasonCodes.Disconnect.SERVER_BUSY, "the twin of " + envelope.asset()
            + " did not take message " + envelope.id() + " (" + cause.getMessage() + "); no PUBACK, closing so the device redelivers"));
        return;
      }
      log.warn("MQTT client {}: QoS 0 message {} for {} dropped: {}", clientId, envelope.id(), envelope.asset(), cause.getMessage());
    }
    flushAcks();
    readMore();
  }

  /** PUBACKs leave in the order the publishes came (MQTT 3.1.1 §4.6). */
  private void flushAcks() {
    boolean wrote = false;
    while (!acks.isEmpty() && acks.peek().done) {
      PendingAck a = acks.poll();
      var b = MqttMessageBuilders.pubAck().packetId(a.packetId);
      if (version == MQTT_5 && a.reasonCode != 0) b.reasonCode(a.reasonCode);
      ctx.write(b.build());
      wrote = true;
    }
    if (wrote) ctx.flush();
  }

  // ---------------------------------------------------------------- SUBSCRIBE and commands (twin → device)

  private void onSubscribe(MqttSubscribeMessage m) {
    var ack = MqttMessageBuilders.subAck().packetId(m.variableHeader().messageId());
    for (MqttTopicSubscription s : m.payload().topicSubscriptions()) {
      String filter = s.topicName();
      String problem = DeviceTopic.subscriptionProblem(filter, grant);
      if (problem != null) {
        log.warn("MQTT client {} ('{}'): subscription to '{}' refused: {}", clientId, grant.username(), filter, problem);
        ack.addGrantedQos(MqttQoS.FAILURE);
      } else {
        int qos = Math.min(1, s.qualityOfService().value());
        subscriptions.put(filter, qos);
        ack.addGrantedQos(MqttQoS.valueOf(qos));
      }
    }
    ctx.writeAndFlush(ack.build());
  }

  private void onUnsubscribe(MqttUnsubscribeMessage m) {
    var ack = MqttMessageBuilders.unsubAck().packetId(m.variableHeader().messageId());
    for (String filter : m.payload().topics()) {
      boolean had = subscriptions.remove(filter) != null;
      if (version == MQTT_5) {
        ack.addReasonCode(had ? MqttReasonCodes.UnsubAck.SUCCESS.byteValue() : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue());
      }
    }
    ctx.writeAndFlush(ack.build());
  }

  private void onPubAck(MqttPubAckMessage m) {
    MqttMessageIdVariableHeader h = m.variableHeader();
    if (outgoing.remove(h.messageId()) == null) {
      log.debug("MQTT client {}: PUBACK for unknown packet id {}", clientId, h.messageId());
    }
  }

  /** Called by {@link CommandDelivery} from an actor: sends the command if a subscription of this session matches. */
  void deliverCommand(String topic, byte[] payload, String commandId) {
    onLoop(() -> {
      if (phase != Phase.CONNECTED) return;
      int qos = -1;
      for (var s : subscriptions.entrySet()) {
        if (s.getValue() > qos && DeviceTopic.matches(s.getKey(), topic)) qos = s.getValue();
      }
      if (qos < 0) return;
      if (!ctx.channel().isWritable()) {
        log.warn("MQTT client {} is not reading its messages; command {} on '{}' dropped (the twin retries until it is acknowledged)",
            clientId, commandId, topic);
        return;
      }
      var publish = MqttMessageBuilders.publish().topicName(topic).retained(false).payload(Unpooled.wrappedBuffer(payload));
      if (qos == 1) {
        if (outgoing.size() >= door.settings().maxInFlightPerConnection()) {
          log.warn("MQTT client {} has {} commands unacknowledged; command {} on '{}' dropped", clientId, outgoing.size(), commandId, topic);
          return;
        }
        int id = nextPacketId();
        outgoing.put(id, commandId);
        publish.qos(MqttQoS.AT_LEAST_ONCE).messageId(id);
      } else {
        publish.qos(MqttQoS.AT_MOST_ONCE);
      }
      ctx.writeAndFlush(publish.build());
    });
  }

  private int nextPacketId() {
    do {
      nextPacketId = nextPacketId % 65_535 + 1;
    } while (outgoing.containsKey(nextPacketId));
    return nextPacketId;
  }

  // ---------------------------------------------------------------- reads, closing, keep-alive

  private boolean mayRead() {
    if (phase == Phase.CLOSED || phase == Phase.AUTHENTICATING) return false;
    return parked == null && inFlightHere < door.settings().maxInFlightPerConnection();
  }

  private void readMore() {
    if (mayRead()) scheduleRead();
  }

  /** The next read is a task, so packets handled at once do not nest reads inside reads. */
  private void scheduleRead() {
    if (readScheduled || readOutstanding) return;
    readScheduled = true;
    ctx.executor().execute(() -> {
      readScheduled = false;
      if (mayRead() && !readOutstanding && ctx.channel().isActive()) {
        readOutstanding = true;
        ctx.read();
      }
    });
  }

  private void decodeFailure(Throwable cause) {
    if (cause instanceof MqttUnacceptableProtocolVersionException) {
      refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
          "unacceptable protocol version: " + cause.getMessage());
    } else if (cause instanceof MqttIdentifierRejectedException && phase == Phase.AWAITING_CONNECT) {
      refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id rejected: " + cause.getMessage());
    } else if (cause instanceof TooLongFrameException) {
      violation(new Violation(MqttReasonCodes.Disconnect.PACKET_TOO_LARGE, "packet too large: " + cause.getMessage()
          + " (atrium.mqtt.max-message-bytes = " + door.settings().maxMessageBytes() + ")"));
    } else {
      violation(new Violation(MqttReasonCodes.Disconnect.MALFORMED_PACKET, "malformed packet: " + cause.getMessage()));
    }
  }

  private void violation(Violation v) {
    if (phase == Phase.CLOSED) return;
    String who = clientId != null ? clientId : "?";
    if (takenOver) {
      log.info("MQTT client {} ({}): {}; closing the older connection", who, remote, v.getMessage());
    } else {
      log.warn("MQTT client {} ({}): {}; closing the connection", who, remote, v.getMessage());
    }
    closeReason = v.getMessage();
    boolean wasConnected = phase == Phase.CONNECTED;
    phase = Phase.CLOSED;
    if (wasConnected && version == MQTT_5) {
      ctx.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(v.code.byteValue()).build())
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
      // Reads paused by back-pressure are not the device's silence.
      if (phase == Phase.CONNECTED && mayRead()) {
        violation(new Violation(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT,
            "no packet within 1.5 × the keep-alive; the device is considered gone"));
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String who = clientId != null ? clientId : "?";
    if (cause instanceof IOException) {
      log.debug("MQTT client {} ({}): connection failed: {}", who, remote, cause.toString());
      if (closeReason == null) closeReason = "connection failed: " + cause.getMessage();
    } else {
      log.warn("MQTT client {} ({}): unexpected error; closing the connection", who, remote, cause);
      if (closeReason == null) closeReason = "server error: " + cause;
    }
    phase = Phase.CLOSED;
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    phase = Phase.CLOSED;
    if (connectTimer != null) connectTimer.cancel(false);
    parked = null;
    if (grant != null) {
      door.sessions().remove(clientId, this);
      door.commands().unregister(grant.site(), this);
      if (disconnected) {
        door.presence().offline(clientId, presenceSession, "disconnected");
        log.info("MQTT client {} disconnected", clientId);
      } else {
        String reason = closeReason != null ? closeReason : "connection lost without DISCONNECT";
        door.presence().offline(clientId, presenceSession, reason);
        if (!takenOver) {
          log.info("MQTT client {} is offline: {}", clientId, reason);
          if (will != null) publishWill();
        }
      }
    }
    ctx.fireChannelInactive();
  }

  /** The last will goes to the twin like any publish (it was checked at CONNECT). */
  private void publishWill() {
    Envelope w = will;
    will = null;
    if (!door.inFlight().tryAcquire(1)) {
      log.warn("MQTT client {}: last will {} dropped: the server is at its in-flight limit", clientId, w.id());
      return;
    }
    String who = clientId;
    CompletionStage<Ingested> stage;
    try {
      stage = door.gateway().ingest(w);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((r, e) -> {
      door.inFlight().release(1);
      if (e != null) {
        log.warn("MQTT client {}: last will {} for {} not applied: {}", who, w.id(), w.asset(), e.getMessage());
      } else {
        log.info("MQTT client {}: last will {} for {} applied ({})", who, w.id(), w.asset(), r);
      }
    });
  }

  private void onLoop(Runnable r) {
    try {
      ctx.executor().execute(r);
    } catch (RejectedExecutionException e) {
      log.debug("MQTT client {}: event loop shut down, dropping a completion", clientId);
    }
  }
}

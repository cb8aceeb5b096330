package atrium.api.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 packets written byte by byte on a plain socket, for what a well-behaved client library
 * refuses to send (wildcard publish topics, malformed packets, redeliveries with the DUP flag).
 */
final class RawMqtt implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawMqtt(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
  }

  /** CONNECT (clean session, keep-alive 60 s) and reads the CONNACK; returns its return code. */
  int connect(String clientId, String username, String password) throws IOException {
    return connect(clientId, username, password, 60);
  }

  /** CONNECT with a keep-alive of {@code keepAliveSeconds}; returns the CONNACK's return code. */
  int connect(String clientId, String username, String password, int keepAliveSeconds) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    body.write(0xC2);
    body.write(keepAliveSeconds >> 8);
    body.write(keepAliveSeconds & 0xFF);
    writeString(body, clientId);
    writeString(body, username);
    writeString(body, password);
    send(0x10, body.toByteArray());
    int type = in.read();
    if (type != 0x20) throw new IOException("expected CONNACK, got " + type);
    in.read();
    in.read();
    return in.read();
  }

  /** A PUBLISH; {@code dup} sets the DUP flag (a redelivery). */
  void publish(String topic, int qos, int packetId, boolean dup, byte[] payload) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, topic);
    if (qos > 0) {
      body.write(packetId >> 8);
      body.write(packetId & 0xFF);
    }
    body.write(payload);
    send(0x30 | (dup ? 0x08 : 0) | (qos << 1), body.toByteArray());
  }

  /** Reads a PUBACK; returns its packet id. */
  int readPubAck() throws IOException {
    int type = in.read();
    if (type != 0x40) throw new IOException("expected PUBACK, got " + type);
    in.read();
    return (in.read() << 8) | in.read();
  }

  void sendRaw(byte... bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** True once the server has closed the connection (end of stream or reset), false if it stays open 30 s. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) return true;
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private void send(int header, byte[] body) throws IOException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(header);
    int len = body.length;
    do {
      int b = len % 128;
      len /= 128;
      packet.write(len > 0 ? b | 0x80 : b);
    } while (len > 0);
    packet.write(body);
    sendRaw(packet.toByteArray());
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xFF);
    out.writeBytes(b);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

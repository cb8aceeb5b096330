// The control API from the browser: REST calls with the person's bearer token, and the live stream
// (docs/stream.md), which reconnects with back-off and tells its listeners to re-read what they show.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** The problem type's last segment, e.g. "expired-token". */
  get slug() {
    const type = this.problem.type || "";
    return type.substring(type.lastIndexOf("/") + 1);
  }
}

export class Api {
  /** onUnauthorized(error): a call was refused with 401 (the token expired or was revoked). */
  constructor(token, onUnauthorized = () => {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  get(path) {
    return this.call("GET", path);
  }

  post(path, body) {
    return this.call("POST", path, body);
  }

  async call(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const error = new ApiError(response.status, json);
      if (response.status === 401) this.onUnauthorized(error);
      throw error;
    }
    return json;
  }
}

const RETRY_MS = [1000, 2000, 5000, 10000];

/** One WebSocket to /api/v1/stream with one subscription per site; deltas go to onDelta(message). */
export class Stream {
  constructor(token, { onDelta, onStatus, onReconnected, onClosed = () => {} }) {
    this.token = token;
    this.onClosed = onClosed;
    this.onDelta = onDelta;
    this.onStatus = onStatus;
    this.onReconnected = onReconnected;
    this.subscriptions = new Map();
    this.attempt = 0;
    this.closed = false;
    this.everOpen = false;
  }

  subscribe(site, kinds) {
    this.subscriptions.set(site, kinds);
    this.send({ type: "subscribe", site, kinds });
  }

  open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/stream?access_token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    this.onStatus("connecting");
    ws.onopen = () => {
      this.attempt = 0;
      for (const [site, kinds] of this.subscriptions) this.send({ type: "subscribe", site, kinds });
    };
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = () => {
      if (this.closed) return;
      this.onStatus("reconnecting");
      this.onClosed();
      const wait = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
      setTimeout(() => { if (!this.closed) this.open(); }, wait);
    };
  }

  receive(message) {
    if (message.type === "delta") this.onDelta(message);
    else if (message.type === "subscribed") {
      this.onStatus("live");
      if (this.everOpen) this.onReconnected();
      this.everOpen = true;
    } else if (message.type === "error") console.warn("stream:", message.code, message.field, message.detail);
  }

  send(message) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close() {
    this.closed = true;
    this.ws?.close(1000);
  }
}

// The live connection: one WebSocket over TLS to /api/v1/live, authenticated by the session
// cookie. The server sends the current state first on every connection, so a page renders
// from what arrives and never has to guess what it missed. Drops are retried with backoff
// (0.5 s doubling to 8 s, with jitter); a silent connection is detected by ping/pong.
// A refused upgrade (or a 4401 close: the credential was revoked) asks `onUnauthorized` what to
// do; the console's default sends people whose sign-in has expired to the sign-in page.
import { whoAmI, toSignIn } from "./api.js";

/** The console's answer to a refused upgrade: go and sign in when no longer signed in. */
async function signInIfSignedOut({ opened }) {
  if (opened) return false;
  try {
    if (!(await whoAmI())) {
      toSignIn();
      return true;
    }
  } catch {
    // offline: keep retrying
  }
  return false;
}

const PING_EVERY_MS = 20000;
const PONG_WITHIN_MS = 10000;
const MAX_DELAY_MS = 8000;

export class Live {
  /**
   * @param {object} handlers
   * @param {(type: string, data: any) => void} handlers.onMessage
   * @param {(status: {state: string, retryInSeconds?: number}) => void} [handlers.onStatus]
   * @param {(close: {opened: boolean, code: number}) => Promise<boolean>} [handlers.onUnauthorized]
   *   called when the upgrade was refused or the server closed with 4401; true stops retrying
   */
  constructor({ onMessage, onStatus, onUnauthorized = signInIfSignedOut, path = "/api/v1/live" }) {
    this.onMessage = onMessage;
    this.onUnauthorized = onUnauthorized;
    this.onStatus = onStatus ?? (() => {});
    this.path = path;
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.countdownTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.stopped = false;
    this.retryAt = 0;
    this.everOpened = false;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${this.path}`;
  }

  start() {
    this.stopped = false;
    if (!this.listening) {
      this.listening = true;
      window.addEventListener("online", () => this.retryNow());
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible" && !this.isOpen()) this.retryNow();
      });
    }
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    this.socket?.close(1000, "page closed");
  }

  isOpen() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  retryNow() {
    if (this.stopped || this.isOpen() || this.socket?.readyState === WebSocket.CONNECTING) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  connect() {
    this.clearTimers();
    this.onStatus({ state: "connecting" });
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    let opened = false;

    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      opened = true;
      this.everOpened = true;
      this.onStatus({ state: "open" });
      this.heartbeat();
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      this.attempt = 0; // a connection that delivers is a good one
      this.heard();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!message || typeof message.type !== "string" || message.type === "pong") return;
      try {
        this.onMessage(message.type, message.data);
      } catch (error) {
        console.error("live message handler failed", message.type, error);
      }
    });
    socket.addEventListener("close", async (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      if (!opened || event.code === 4401) {
        // The upgrade was refused (maybe the sign-in has expired) or the credential was revoked.
        if (await this.onUnauthorized({ opened, code: event.code })) {
          this.stopped = true;
          this.onStatus({ state: "stopped", code: event.code });
          return;
        }
      }
      this.scheduleRetry();
    });
  }

  scheduleRetry() {
    if (this.stopped) return;
    const base = Math.min(MAX_DELAY_MS, 500 * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.retryAt = Date.now() + delay;
    const report = () => {
      this.onStatus({ state: "closed", retryInSeconds: Math.max(0, (this.retryAt - Date.now()) / 1000) });
    };
    report();
    this.countdownTimer = setInterval(report, 1000);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  heartbeat() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (!this.send({ type: "ping" })) return;
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        // Nothing heard since the ping: the connection is dead even if the socket does not know.
        // Let it go (its close event may take long to come) and start afresh.
        const dead = this.socket;
        this.socket = null;
        this.clearTimers();
        try {
          dead?.close(4000, "no pong");
        } catch {
          // already closing
        }
        this.scheduleRetry();
      }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  heard() {
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  clearTimers() {
    clearTimeout(this.retryTimer);
    clearInterval(this.countdownTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.retryTimer = this.countdownTimer = this.pingTimer = this.pongTimer = null;
  }
}

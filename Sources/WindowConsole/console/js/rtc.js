// The video call between screen B (the kiosk's side) and the clerk's console, shared by both
// pages. The server carries no media: it relays signaling over the live connection within one
// session (docs/video-link.md) and hands out ICE servers and TURN credentials.
//
// Who starts: whichever side (re)starts its page or call sends `hello`. The clerk answers the
// kiosk's hello with a new RTCPeerConnection, a fresh `pc` id and its first offer; the kiosk
// answers the clerk's hello with its own. The kiosk adopts the id of an offer it answers and
// either side drops messages for another id. Later renegotiations (the document camera, ICE
// restarts) use perfect negotiation with the kiosk polite. A watchdog restarts ICE (fresh
// credentials, setConfiguration, restartIce) when the connection is still new/checking a few
// seconds after signaling is stable, and when it goes disconnected or failed, with backoff.
//
// Each side reports `media` (its connection state and a getStats summary) on every change and
// every 5 s; the session's state on the server follows these reports.
import { get } from "./api.js";

const STALL_MS = 4000; // new/checking this long after signaling is stable: restart ICE
const REPORT_EVERY_MS = 5000;
const PREFETCH_FRESH_MS = 10000; // an ICE configuration fetched this recently is used as is
// Backoff for ICE restarts while disconnected/failed. The clerk drives restarts; the kiosk
// (polite) steps in only when the clerk's side has not, later, so the two seldom collide.
const RESTART_DELAYS = { clerk: [1000, 2000], kiosk: [6000, 8000, 10000] };

/**
 * A grade for a stats summary, the server's rule: good under 150 ms and 2 % loss at 15 fps or
 * more; poor past 400 ms, 8 % loss or under 5 fps; fair between. Null with nothing to grade.
 */
export function grade(stats) {
  if (!stats || typeof stats !== "object") return null;
  if (![stats.rttMs, stats.lossPercent, stats.fps].some(Number.isFinite)) return null;
  const rtt = Number.isFinite(stats.rttMs) ? stats.rttMs : 0;
  const loss = Number.isFinite(stats.lossPercent) ? stats.lossPercent : 0;
  const fps = Number.isFinite(stats.fps) ? stats.fps : 30;
  if (rtt > 400 || loss > 8 || fps < 5) return "poor";
  if (rtt > 150 || loss > 2 || fps < 15) return "fair";
  return "good";
}

/**
 * The first call after a page loads also pays for starting the browser's WebRTC machinery
 * (its threads, codecs, a certificate): a page that will make calls does that once ahead, with
 * no camera, no ICE servers and no other side.
 */
export function warmUp() {
  try {
    const pc = new RTCPeerConnection();
    pc.addTransceiver("audio", { direction: "recvonly" });
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .catch(() => {})
      .finally(() => setTimeout(() => pc.close(), 1000));
  } catch {
    // no WebRTC in this browser: the call itself will say so
  }
}

/** The summary `media` carries, from an RTCStatsReport (plus remoteCandidateType, kept locally). */
export function summarize(report) {
  let transport = null;
  const inbound = [];
  report.forEach((entry) => {
    if (entry.type === "transport" && entry.selectedCandidatePairId) transport = entry;
    if (entry.type === "inbound-rtp" && entry.kind === "video") inbound.push(entry);
  });
  let pair = transport ? report.get(transport.selectedCandidatePairId) : null;
  if (!pair) {
    report.forEach((entry) => {
      if (!pair && entry.type === "candidate-pair" && entry.nominated && entry.state === "succeeded") pair = entry;
    });
  }
  const stats = {};
  if (pair) {
    if (Number.isFinite(pair.currentRoundTripTime)) stats.rttMs = Math.round(pair.currentRoundTripTime * 10000) / 10;
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    if (local?.candidateType) stats.candidateType = local.candidateType;
    if (remote?.candidateType) stats.remoteCandidateType = remote.candidateType;
  }
  // The main video is the first inbound video stream (the document camera, if any, comes later).
  const video = inbound.sort((a, b) => String(a.mid ?? "").localeCompare(String(b.mid ?? ""), undefined, { numeric: true }))[0];
  if (video) {
    const lost = Math.max(0, video.packetsLost ?? 0);
    const received = video.packetsReceived ?? 0;
    stats.lossPercent = lost + received > 0 ? Math.round((lost / (lost + received)) * 10000) / 100 : 0;
    stats.fps = Math.round(video.framesPerSecond ?? 0);
    stats.freezes = video.freezeCount ?? 0;
    stats.framesDecoded = video.framesDecoded ?? 0;
  }
  return stats;
}

const WIRE_STATS = ["rttMs", "lossPercent", "fps", "candidateType", "freezes", "framesDecoded"];

export class Call extends EventTarget {
  /**
   * @param {object} options
   * @param {"clerk"|"kiosk"} options.role the clerk's side is impolite, the kiosk's polite
   * @param {number} options.session the session id
   * @param {(message: object) => boolean} options.send sends a live message; false when offline
   * @param {MediaStream|null} options.stream the camera and microphone to send; the kiosk may
   *   start without it (the camera still opening) and give it later with setStream
   */
  constructor({ role, session, send, stream }) {
    super();
    this.role = role;
    this.polite = role === "kiosk";
    this.session = session;
    this.sendLive = send;
    this.stream = stream;
    this.pc = null;
    this.pcId = null;
    this.state = "idle"; // idle, waiting (hello sent, no pc yet), then the pc's connectionState; "ended" after hangup
    this.stats = null; // the last summary
    this.quality = null;
    this.remoteStream = null;
    this.documentStream = null; // the kiosk's document camera, on the clerk's side
    this.documentTrack = null; // ours, on the kiosk's side
    this.muted = false;
    this.cameraOff = false;
    this.iceRestarts = 0;
    this.marks = {}; // epoch ms: pc, connected (first time per pc)
    this.ended = false;
    this.prefetched = null;
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.queue = Promise.resolve(); // incoming signals, handled one at a time, in order
    this.mainTransceivers = new Set();
    this.stallTimer = null;
    this.restartTimer = null;
    this.restartStep = 0;
    this.reportTimer = setInterval(() => this.report(true), REPORT_EVERY_MS);
  }

  // -------------------------------------------------------------------------------- public

  /** Starts (or restarts) the call from this side: says hello (and fetches ICE servers meanwhile). */
  start() {
    if (this.ended) return;
    if (!this.pc) this.setState("waiting");
    this.prefetchIce();
    this.send({ hello: true });
  }

  /** Asks for the ICE configuration now, for the peer connection about to be made. */
  prefetchIce() {
    const promise = this.fetchIce();
    promise.catch(() => {});
    this.prefetched = { at: Date.now(), promise };
  }

  /** Handles a `signal` message's data (already known to be for this session). */
  receive(data) {
    if (this.ended || !data || data.session !== this.session) return;
    this.queue = this.queue.then(() => this.handle(data)).catch((error) => {
      console.warn("signal handling failed", error);
    });
  }

  /** The live connection came back: tell the server where the media stands, recover if needed. */
  liveReopened() {
    if (this.ended) return;
    const state = this.pc?.connectionState;
    if (!this.pc) {
      this.start();
      return;
    }
    if (state === "connected") this.report(false);
    else if (state === "disconnected") {
      this.report(false);
      this.scheduleRestart(0);
    } else {
      this.start(); // signaling may have been lost while we were away: start afresh
    }
  }

  /** The camera and microphone, once open: they go on the negotiated transceivers at once, with
   *  no renegotiation (the kiosk answered sendrecv while its camera was still opening). */
  setStream(stream) {
    this.stream = stream;
    for (const track of stream.getAudioTracks()) track.enabled = !this.muted;
    for (const track of stream.getVideoTracks()) track.enabled = !this.cameraOff;
    if (this.pc && this.pc.remoteDescription) this.attachLocalTracks();
    this.emit();
  }

  setMuted(muted) {
    this.muted = Boolean(muted);
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !this.muted;
    this.emit();
  }

  setCameraOff(off) {
    this.cameraOff = Boolean(off);
    for (const track of this.stream?.getVideoTracks() ?? []) track.enabled = !this.cameraOff;
    this.emit();
  }

  /** Ends the media (not the session): closes the peer connection and says so. */
  hangup() {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.reportTimer);
    this.closePc();
    this.setState("ended");
  }

  /** Kiosk side: also sends the document camera, sendonly, as text content, by renegotiation. */
  addDocumentCamera(track) {
    this.documentTrack = track;
    track.contentHint = "text";
    this.attachDocumentCamera();
  }

  // ------------------------------------------------------------------------------ internals

  send(fields) {
    return this.sendLive({ type: "signal", data: { session: this.session, ...(this.pcId && !fields.hello ? { pc: this.pcId } : {}), ...fields } });
  }

  emit() {
    this.dispatchEvent(new Event("change"));
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit();
  }

  async handle(data) {
    if (data.hello) {
      if (this.role === "clerk") await this.newPeerConnection();
      else this.send({ hello: true }); // the clerk (re)started: its old peer connection is gone
      return;
    }
    if (data.description) {
      const description = data.description;
      if (this.role === "kiosk" && description.type === "offer" && data.pc && data.pc !== this.pcId) {
        await this.adopt(data.pc);
      }
      if (!data.pc || data.pc !== this.pcId || !this.pc) return; // an old peer connection's
      await this.describe(description);
      return;
    }
    if (data.candidate) {
      if (!data.pc || data.pc !== this.pcId || !this.pc) return;
      try {
        await this.pc.addIceCandidate(data.candidate);
      } catch (error) {
        if (!this.ignoreOffer) console.warn("addIceCandidate failed", error);
      }
    }
  }

  async describe(description) {
    const pc = this.pc;
    if (description.type === "rollback") {
      if (pc.signalingState !== "stable") await pc.setLocalDescription({ type: "rollback" });
      return;
    }
    const collision = description.type === "offer" && (this.makingOffer || pc.signalingState !== "stable");
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    await pc.setRemoteDescription(description); // rolls back our own offer when polite
    if (pc !== this.pc) return;
    if (description.type === "offer") {
      if (this.role === "kiosk") this.attachLocalTracks();
      this.resetRestarts(); // an offer from the other side may be its ICE restart
      await pc.setLocalDescription();
      if (pc !== this.pc) return;
      this.send({ description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    }
  }

  /** The ICE configuration for a new peer connection or a restart: fresh credentials each time
   *  (a prefetch made in the last few seconds counts as fresh, and is used once). */
  async iceConfiguration() {
    const prefetched = this.prefetched;
    this.prefetched = null;
    if (prefetched && Date.now() - prefetched.at < PREFETCH_FRESH_MS) {
      try {
        return await prefetched.promise;
      } catch {
        // fetch again below
      }
    }
    return this.fetchIce();
  }

  async fetchIce() {
    const config = await get(`/api/v1/sessions/${this.session}/ice`, { redirectOn401: false });
    return {
      iceServers: Array.isArray(config?.iceServers) ? config.iceServers : [],
      iceTransportPolicy: config?.iceTransportPolicy === "relay" ? "relay" : "all",
    };
  }

  /** Clerk: a new peer connection with a new id, and its first offer (via negotiationneeded). */
  async newPeerConnection() {
    const config = await this.iceConfiguration();
    if (this.ended) return;
    this.closePc();
    this.pcId = crypto.randomUUID();
    const pc = this.makePc(config);
    for (const kind of ["audio", "video"]) {
      const tracks = this.stream.getTracks().filter((track) => track.kind === kind);
      // Without a camera or microphone of our own we still receive the other side's.
      const transceivers = tracks.length
        ? tracks.map((track) => pc.addTransceiver(track, { direction: "sendrecv", streams: [this.stream] }))
        : [pc.addTransceiver(kind, { direction: "recvonly" })];
      for (const transceiver of transceivers) this.mainTransceivers.add(transceiver);
    }
  }

  /** Kiosk: the clerk made a new peer connection; drop ours and take its id. */
  async adopt(id) {
    this.closePc();
    this.pcId = id; // set before the await: candidates that follow the offer are kept in order anyway
    const config = await this.iceConfiguration();
    if (this.ended || this.pcId !== id) return;
    this.makePc(config);
  }

  makePc(config) {
    const pc = new RTCPeerConnection(config);
    this.pc = pc;
    this.remoteStream = new MediaStream();
    this.documentStream = null;
    this.mainTransceivers = new Set();
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.restartStep = 0;
    this.marks = { pc: Date.now() };
    this.stats = null;
    this.quality = null;

    pc.addEventListener("negotiationneeded", async () => {
      if (pc !== this.pc) return;
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (pc !== this.pc) return;
        this.send({ description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      } catch (error) {
        console.warn("negotiation failed", error);
      } finally {
        this.makingOffer = false;
      }
    });
    pc.addEventListener("icecandidate", ({ candidate }) => {
      if (pc !== this.pc || !candidate || !candidate.candidate) return;
      this.send({ candidate: candidate.toJSON() });
    });
    pc.addEventListener("track", ({ track, transceiver }) => {
      if (pc !== this.pc) return;
      const main = this.role === "kiosk" ? !this.isDocumentTransceiver(transceiver) : this.mainTransceivers.has(transceiver);
      if (main) {
        this.remoteStream.addTrack(track);
      } else {
        this.documentStream = new MediaStream([track]);
      }
      this.emit();
    });
    pc.addEventListener("signalingstatechange", () => {
      if (pc !== this.pc) return;
      if (pc.signalingState === "stable") this.watchStall();
    });
    pc.addEventListener("connectionstatechange", () => {
      if (pc !== this.pc) return;
      const state = pc.connectionState;
      if (state === "connected") {
        if (!this.marks.connected) this.marks.connected = Date.now();
        this.resetRestarts();
        clearTimeout(this.stallTimer);
        if (this.documentTrack) this.attachDocumentCamera();
      } else if (state === "disconnected" || state === "failed") {
        this.scheduleRestart();
      }
      this.setState(state);
      this.report(false);
      if (state === "connected") setTimeout(() => this.report(true), 1000); // a quality to show soon
    });
    this.setState(pc.connectionState);
    return pc;
  }

  isDocumentTransceiver(transceiver) {
    return Boolean(this.documentTrack) && transceiver.sender.track === this.documentTrack;
  }

  /** Kiosk: our camera and microphone go on the transceivers the clerk's offer made. Before the
   *  camera is open they are answered sendrecv with no track, and the tracks replace nothing later. */
  attachLocalTracks() {
    const pc = this.pc;
    const main = pc.getTransceivers().filter((t) => !t.stopped && !this.isDocumentTransceiver(t) && t.receiver.track);
    for (const transceiver of main) {
      if (transceiver.direction === "recvonly" || transceiver.direction === "inactive") transceiver.direction = "sendrecv";
    }
    const sending = new Set(pc.getSenders().map((sender) => sender.track).filter(Boolean));
    for (const track of this.stream?.getTracks() ?? []) {
      if (sending.has(track)) continue;
      const free = main.find((t) => t.receiver.track.kind === track.kind && !t.sender.track);
      if (free) {
        free.sender.replaceTrack(track).catch((error) => console.warn("replaceTrack failed", error));
        free.sender.setStreams?.(this.stream);
      } else {
        pc.addTrack(track, this.stream);
      }
    }
  }

  attachDocumentCamera() {
    const pc = this.pc;
    if (!pc || !this.documentTrack || pc.connectionState !== "connected") return;
    if (pc.getSenders().some((sender) => sender.track === this.documentTrack)) return;
    pc.addTransceiver(this.documentTrack, { direction: "sendonly" });
  }

  closePc() {
    clearTimeout(this.stallTimer);
    clearTimeout(this.restartTimer);
    const pc = this.pc;
    if (!pc) return;
    this.pc = null;
    try {
      pc.close();
    } catch {
      // closed already
    }
    this.sendLive({ type: "media", data: { session: this.session, pc: this.pcId, state: "closed" } });
    this.pcId = null;
    this.remoteStream = null;
    this.documentStream = null;
    this.emit();
  }

  // ---------------------------------------------------------------------------- watchdog

  watchStall() {
    clearTimeout(this.stallTimer);
    const pc = this.pc;
    const wait = this.polite ? STALL_MS * 1.5 : STALL_MS;
    this.stallTimer = setTimeout(() => {
      if (pc !== this.pc || this.ended) return;
      const ice = pc.iceConnectionState;
      if (pc.signalingState === "stable" && (ice === "new" || ice === "checking")) this.restartIce();
    }, wait);
  }

  resetRestarts() {
    this.restartStep = 0;
    clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  scheduleRestart(delay) {
    if (this.ended || this.restartTimer) return;
    const delays = RESTART_DELAYS[this.role];
    const wait = delay ?? delays[Math.min(this.restartStep, delays.length - 1)];
    this.restartStep += 1;
    const pc = this.pc;
    this.restartTimer = setTimeout(async () => {
      this.restartTimer = null;
      if (pc !== this.pc || this.ended) return;
      const state = pc.connectionState;
      if (state === "connected" || state === "closed") return;
      await this.restartIce();
      if (pc === this.pc && pc.connectionState !== "connected") this.scheduleRestart();
    }, wait);
  }

  /** Fresh credentials, then an ICE restart (negotiationneeded makes the offer). */
  async restartIce() {
    const pc = this.pc;
    if (!pc) return;
    try {
      const config = await this.iceConfiguration();
      if (pc !== this.pc) return;
      pc.setConfiguration(config);
    } catch (error) {
      console.warn("ICE configuration refresh failed", error);
    }
    if (pc !== this.pc) return;
    this.iceRestarts += 1;
    pc.restartIce();
    this.emit();
  }

  // ----------------------------------------------------------------------------- reports

  async report(withFreshStats) {
    const pc = this.pc;
    if (!pc || this.ended) return;
    if (withFreshStats) {
      try {
        const stats = summarize(await pc.getStats());
        if (pc !== this.pc) return;
        this.stats = stats;
        this.quality = pc.connectionState === "connected" ? grade(stats) : null;
        this.emit();
      } catch {
        return;
      }
    }
    const data = { session: this.session, pc: this.pcId, state: pc.connectionState };
    if (this.stats && Object.keys(this.stats).length) {
      const wire = {};
      for (const key of WIRE_STATS) if (this.stats[key] !== undefined) wire[key] = this.stats[key];
      data.stats = wire;
    }
    this.sendLive({ type: "media", data });
  }
}

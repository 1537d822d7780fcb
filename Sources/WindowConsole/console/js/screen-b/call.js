// Screen B's side of the video call: the consent notice, the cameras, the call itself, the
// document camera's stills, and leaving nothing behind when the session ends.
import { post } from "../api.js";
import { Call } from "../rtc.js";
import { bi, fill, message } from "../ui.js";

const $ = (id) => document.getElementById(id);

const CALL_STATE = {
  waiting: ["连接中", "Connecting"],
  new: ["连接中", "Connecting"],
  connecting: ["连接中", "Connecting"],
  connected: ["已接通", "Connected"],
  disconnected: ["重新连接中…", "Reconnecting…"],
  failed: ["重新连接中…", "Reconnecting…"],
  closed: ["通话已结束", "Call ended"],
  ended: ["通话已结束", "Call ended"],
  camera: ["正在打开摄像头…", "Opening the camera…"],
  "camera-failed": ["无法打开摄像头", "The camera could not be opened"],
};

export class ScreenBCall {
  /**
   * @param {object} options
   * @param {(message: object) => boolean} options.send sends a live message
   * @param {(view: string) => void} options.show switches the page's view
   */
  constructor({ send, show }) {
    this.send = send;
    this.show = show;
    this.session = null; // the session's id while one is on
    this.consented = new Set(); // sessions accepted on this page
    this.call = null;
    this.stream = null;
    this.documentTrack = null;
    this.opening = null;
    this.camera = null; // the camera being opened (a promise of its stream)
    this.noteTimer = null;
    $("consent-accept").addEventListener("click", () => this.answerConsent(true));
    $("consent-leave").addEventListener("click", () => this.answerConsent(false));
    $("unmute").addEventListener("click", () => {
      $("remote-video").muted = false;
      $("unmute").hidden = true;
      $("remote-video").play().catch(() => {});
    });
    window.rwCall = null;
  }

  /** What the ticket says about the session: start, follow or end the call. */
  follow(ticket) {
    const session = ticket && ticket.state === "in-session" && ticket.session && ticket.session.state !== "ended" ? ticket.session : null;
    if (!session || session.consent === false) {
      this.end();
      return false;
    }
    if (this.session !== session.id) {
      this.end();
      this.session = session.id;
      document.body.dataset.session = String(session.id);
    }
    for (const id of ["consent-clerk", "clerk-name"]) $(id).textContent = session.clerkName ?? "";
    fill($("consent-window"), bi([`窗口 ${session.window ?? ""}`, `Window ${session.window ?? ""}`]));
    $("clerk-window").textContent = session.window ?? "";
    if (this.call || this.opening) {
      this.show("call");
    } else if (session.consent === true || this.consented.has(session.id)) {
      this.open();
    } else {
      $("consent-error").hidden = true;
      for (const id of ["consent-accept", "consent-leave"]) $(id).disabled = false;
      this.show("consent");
    }
    return true;
  }

  async answerConsent(accepted) {
    const session = this.session;
    if (session === null) return;
    for (const id of ["consent-accept", "consent-leave"]) $(id).disabled = true;
    // Accepted: the camera opens and the call starts while the answer is on its way (both stop if it is refused).
    if (accepted) {
      this.camera = openCamera();
      this.open();
    }
    try {
      await post(`/api/v1/screen-b/sessions/${session}/consent`, { accepted }, { redirectOn401: false });
    } catch (error) {
      if (this.session !== session) return;
      this.stopCall();
      fill($("consent-error"), message(error.message));
      $("consent-error").hidden = false;
      for (const id of ["consent-accept", "consent-leave"]) $(id).disabled = false;
      this.show("consent");
      return;
    }
    if (this.session !== session) return;
    if (accepted) {
      this.consented.add(session);
    } else {
      this.end();
      this.show("idle");
    }
  }

  /** Joins the call at once, and gives it the camera as soon as the camera is open. */
  open() {
    if (this.opening || this.call) return;
    const session = this.session;
    this.show("call");
    const call = new Call({ role: "kiosk", session, send: this.send, stream: null });
    this.call = call;
    window.rwCall = call;
    call.addEventListener("change", () => this.onChange(call));
    call.start();
    this.renderState("camera");
    this.opening = (async () => {
      let stream;
      try {
        stream = await (this.camera ?? openCamera());
      } catch (error) {
        console.warn("getUserMedia failed", error);
        if (this.call === call) this.renderState("camera-failed");
        return;
      }
      this.camera = null;
      if (this.call !== call) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      this.stream = stream;
      $("local-video").srcObject = stream;
      call.setStream(stream);
      this.renderState(call.state);
      this.openDocumentCamera(session, stream);
    })().finally(() => {
      this.opening = null;
    });
  }

  /** Stops the call and the cameras but keeps the session (the consent answer was refused). */
  stopCall() {
    this.camera?.then((stream) => stream.getTracks().forEach((track) => track.stop())).catch(() => {});
    this.camera = null;
    this.call?.hangup();
    this.call = null;
    window.rwCall = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.documentTrack?.stop();
    this.stream = null;
    this.documentTrack = null;
    for (const id of ["remote-video", "local-video"]) $(id).srcObject = null;
  }

  /** The document camera (高拍仪), when there is a second camera: streamed as text content. */
  async openDocumentCamera(session, stream) {
    const device = await this.documentDevice(stream);
    if (!device || this.session !== session || !this.call) return;
    try {
      const doc = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: device.deviceId }, width: { ideal: 1280 }, height: { ideal: 720 } } });
      const track = doc.getVideoTracks()[0];
      if (this.session !== session || !this.call) {
        track.stop();
        return;
      }
      this.documentTrack = track;
      this.call.addDocumentCamera(track);
    } catch (error) {
      console.warn("document camera failed", error);
    }
  }

  /** The second camera: enumerateDevices' videoinput[1] (or whichever the main camera is not). */
  async documentDevice(stream) {
    const cameras = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === "videoinput");
    if (cameras.length < 2) return null;
    const main = stream?.getVideoTracks()[0]?.getSettings().deviceId;
    return cameras[1].deviceId !== main ? cameras[1] : cameras[0];
  }

  onChange(call) {
    if (call !== this.call) return;
    this.renderState(call.state);
    const video = $("remote-video");
    if (call.remoteStream && video.srcObject !== call.remoteStream) {
      video.srcObject = call.remoteStream;
      watchFirstFrame(video, call);
      video.play().catch(() => {
        // No gesture on this page yet (a reload mid-call): play silently, offer the sound.
        video.muted = true;
        $("unmute").hidden = false;
        video.play().catch(() => {});
      });
    } else if (!call.remoteStream && video.srcObject) {
      video.srcObject = null;
    }
  }

  renderState(state) {
    const element = $("call-state");
    element.dataset.state = state;
    fill(element, bi(CALL_STATE[state] ?? CALL_STATE.connecting));
  }

  /** The clerk asked for a still from the document camera: take it at full resolution, upload it. */
  async capture(data) {
    if (!data || data.session !== this.session || !this.call) return;
    const session = this.session;
    this.note(["正在拍摄…", "Taking the photo…"], "busy");
    let track = this.documentTrack;
    let temporary = null;
    try {
      if (!track || track.readyState !== "live") {
        const device = await this.documentDevice(this.stream);
        if (!device) {
          this.note(["未找到高拍仪", "No document camera found"], "error");
          return;
        }
        temporary = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: device.deviceId } } });
        track = temporary.getVideoTracks()[0];
      }
      const blob = await new ImageCapture(track).takePhoto();
      if (this.session !== session) return;
      await post(`/api/v1/screen-b/sessions/${session}/materials?name=${encodeURIComponent("高拍仪拍摄")}`, blob, { redirectOn401: false });
      if (this.session === session) this.note(["已拍摄并提交给工作人员", "Photo taken and sent to the clerk"], "done");
    } catch (error) {
      console.warn("capture failed", error);
      if (this.session === session) this.note(["拍摄失败，请重试", "The photo failed; try again"], "error");
    } finally {
      temporary?.getTracks().forEach((t) => t.stop());
    }
  }

  note(pair, kind) {
    const element = $("capture-note");
    element.dataset.kind = kind;
    fill(element, bi(pair));
    element.hidden = false;
    clearTimeout(this.noteTimer);
    if (kind !== "busy") this.noteTimer = setTimeout(() => { element.hidden = true; }, 5000);
  }

  liveReopened() {
    this.call?.liveReopened();
  }

  receive(data) {
    if (this.call && data?.session === this.session) this.call.receive(data);
  }

  /** The session is over (or was never ours): stop every track, close everything, forget it. */
  end() {
    this.stopCall();
    for (const id of ["remote-video", "local-video"]) $(id).muted = id === "local-video";
    $("unmute").hidden = true;
    $("capture-note").hidden = true;
    for (const id of ["consent-clerk", "clerk-name", "clerk-window"]) $(id).textContent = "";
    fill($("consent-window"));
    this.session = null;
    delete document.body.dataset.session;
  }
}

/** The main camera and the microphone. */
function openCamera() {
  return navigator.mediaDevices.getUserMedia({ video: true, audio: true });
}

/** Marks when the first remote frame is shown (requestVideoFrameCallback), for tests and the bench. */
export function watchFirstFrame(video, call) {
  if (typeof video.requestVideoFrameCallback !== "function") return;
  video.requestVideoFrameCallback(() => {
    if (!call.marks.firstFrame) call.marks.firstFrame = Date.now();
  });
}

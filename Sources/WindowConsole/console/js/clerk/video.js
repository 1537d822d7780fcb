// The video call in the case view: the applicant large, the clerk's own preview small, the
// document camera when screen B sends it; mute, camera off, end the call (the media only: the
// case is ended with the outcome controls), call again, ask for a document photo; the call's
// state, its quality, and the worker's consent as the server reports it.
import { Call } from "../rtc.js";
import { text } from "../i18n.js";
import { bi, fill, toast } from "../ui.js";
import { $ } from "./state.js";

const STATE_TEXT = {
  idle: ["未开始", "Not started"],
  camera: ["正在打开摄像头…", "Opening the camera…"],
  "camera-failed": ["无法打开摄像头（仍可看到办事人）", "Camera unavailable (you can still see the applicant)"],
  "waiting-consent": ["等待办事人同意视频…", "Waiting for the applicant's consent…"],
  declined: ["办事人已拒绝视频", "The applicant declined the video"],
  connecting: ["连接中…", "Connecting…"],
  connected: ["已接通", "Connected"],
  reconnecting: ["重新连接中…", "Reconnecting…"],
  ended: ["视频已挂断", "Video call ended"],
};

const QUALITY_TEXT = {
  good: ["通话质量：良好", "Quality: good"],
  fair: ["通话质量：一般", "Quality: fair"],
  poor: ["通话质量：差", "Quality: poor"],
};

const video = {
  send: () => false,
  session: null, // the case's session id
  info: null, // its ClerkView.SessionInfo
  call: null,
  stream: null,
  cameraFailed: false,
  hungUp: false,
  opening: null,
};

/** Buttons; `send` sends a live message. */
export function wireVideo({ send }) {
  video.send = send;
  $("call-mute").addEventListener("click", () => {
    if (!video.call) return;
    video.call.setMuted(!video.call.muted);
  });
  $("call-camera").addEventListener("click", () => {
    if (!video.call) return;
    video.call.setCameraOff(!video.call.cameraOff);
  });
  $("call-hangup").addEventListener("click", () => {
    video.hungUp = true;
    closeCall();
    render();
  });
  $("call-redial").addEventListener("click", () => {
    video.hungUp = false;
    openCall();
  });
  $("call-capture").addEventListener("click", () => {
    if (video.session === null) return;
    if (video.send({ type: "capture", data: { session: video.session } })) {
      toast(text(["已请求办事人用高拍仪拍摄", "Document photo requested"]), "info");
    } else {
      toast(text(["连接已断开，请稍后再试", "Disconnected: try again in a moment"]), "error");
    }
  });
  $("video-unmute").addEventListener("click", () => {
    $("video-remote").muted = false;
    $("video-unmute").hidden = true;
    $("video-remote").play().catch(() => {});
  });
  window.rwCall = null;
}

/** The case's session as the server now has it: start the call when a case opens, follow it. */
export function showVideo(info) {
  if (video.session !== info.id) {
    stopVideo();
    video.session = info.id;
    video.hungUp = false;
    video.info = info;
    openCall();
  }
  video.info = info;
  render();
}

/** The case left the screen: the call ends and nothing stays open. */
export function stopVideo() {
  closeCall();
  video.session = null;
  video.info = null;
  video.hungUp = false;
  video.cameraFailed = false;
  render();
}

export function videoSignal(data) {
  if (video.call && data?.session === video.session) video.call.receive(data);
}

export function videoLiveReopened() {
  video.call?.liveReopened();
}

/** The camera and microphone, opened while an offer is shown: a camera takes from a tenth of a
 *  second to a second to start, and accepting then starts the call without waiting for it. */
let readied = null;

/** An offer is on the screen: open the camera for the case that may follow. */
export function readyCamera() {
  if (readied || video.call || video.opening) return;
  const promise = navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  promise.catch(() => {});
  readied = promise;
}

/** The offer went (declined, missed, taken back) without a case: the camera closes. */
export function releaseCamera() {
  const promise = readied;
  readied = null;
  promise?.then((stream) => stream.getTracks().forEach((track) => track.stop()), () => {});
}

function openCall() {
  if (video.opening || video.call || video.session === null) return;
  const session = video.session;
  const camera = readied;
  readied = null;
  video.cameraFailed = false;
  video.opening = (async () => {
    render();
    let stream;
    try {
      stream = await (camera ?? navigator.mediaDevices.getUserMedia({ video: true, audio: true }));
    } catch (error) {
      console.warn("getUserMedia failed", error);
      video.cameraFailed = true;
      stream = new MediaStream();
    }
    if (video.session !== session || video.hungUp) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    video.stream = stream;
    $("video-local").srcObject = stream.getTracks().length ? stream : null;
    const call = new Call({ role: "clerk", session, send: (message) => video.send(message), stream });
    video.call = call;
    window.rwCall = call;
    call.addEventListener("change", () => onChange(call));
    call.start();
  })().finally(() => {
    video.opening = null;
    render();
  });
}

function closeCall() {
  video.call?.hangup();
  video.call = null;
  window.rwCall = null;
  for (const track of video.stream?.getTracks() ?? []) track.stop();
  video.stream = null;
  for (const id of ["video-remote", "video-local", "video-doc"]) $(id).srcObject = null;
  $("video-doc-box").hidden = true;
  $("video-unmute").hidden = true;
}

function onChange(call) {
  if (call !== video.call) return;
  const remote = $("video-remote");
  if (call.remoteStream && remote.srcObject !== call.remoteStream) {
    remote.srcObject = call.remoteStream;
    if (typeof remote.requestVideoFrameCallback === "function") {
      remote.requestVideoFrameCallback(() => {
        if (!call.marks.firstFrame) call.marks.firstFrame = Date.now();
      });
    }
    remote.play().catch(() => {
      remote.muted = true; // no gesture on this page yet (a reload): silent until a click
      $("video-unmute").hidden = false;
      remote.play().catch(() => {});
    });
  } else if (!call.remoteStream && remote.srcObject) {
    remote.srcObject = null;
  }
  const doc = $("video-doc");
  if (call.documentStream && doc.srcObject !== call.documentStream) {
    // The document camera's tile shows once its pictures arrive (the track unmutes).
    const track = call.documentStream.getVideoTracks()[0];
    doc.srcObject = call.documentStream;
    const follow = () => {
      if (doc.srcObject === call.documentStream) $("video-doc-box").hidden = track.muted;
    };
    track.addEventListener("unmute", follow);
    track.addEventListener("mute", follow);
    follow();
    doc.play().catch(() => {});
  } else if (!call.documentStream && doc.srcObject) {
    doc.srcObject = null;
    $("video-doc-box").hidden = true;
  }
  render();
}

/** What the panel says now. */
function callState() {
  const info = video.info;
  if (video.session === null || !info) return "idle";
  if (info.consent === false) return "declined";
  if (video.hungUp) return "ended";
  if (video.opening) return "camera";
  if (info.consent !== true) return "waiting-consent";
  const state = video.call?.state;
  if (state === "connected") return "connected";
  if (state === "disconnected" || state === "failed" || info.state === "reconnecting") return "reconnecting";
  return "connecting";
}

function render() {
  const state = callState();
  $("video-panel").dataset.call = state;
  $("call-state").dataset.state = state;
  fill($("call-state"), bi(STATE_TEXT[state]));
  const overlay = $("video-overlay");
  const showOverlay = state !== "connected";
  overlay.hidden = !showOverlay;
  if (showOverlay) {
    fill(overlay, bi(STATE_TEXT[state]), video.cameraFailed && state !== "declined" ? bi(STATE_TEXT["camera-failed"], "overlay-note") : null);
  }
  const call = video.call;
  const grade = state === "connected" ? call?.quality : null;
  const quality = $("call-quality");
  quality.dataset.grade = grade ?? "";
  quality.title = call?.stats ? qualityDetail(call.stats) : "";
  fill(quality, grade ? bi(QUALITY_TEXT[grade]) : null);

  const live = Boolean(call) && !video.hungUp;
  $("call-mute").disabled = !live || !video.stream?.getAudioTracks().length;
  $("call-camera").disabled = !live || !video.stream?.getVideoTracks().length;
  $("call-mute").setAttribute("aria-pressed", call?.muted ? "true" : "false");
  $("call-camera").setAttribute("aria-pressed", call?.cameraOff ? "true" : "false");
  fill($("call-mute"), bi(call?.muted ? ["取消静音", "Unmute"] : ["静音", "Mute"]));
  fill($("call-camera"), bi(call?.cameraOff ? ["打开摄像头", "Camera on"] : ["关闭摄像头", "Camera off"]));
  $("call-capture").disabled = state !== "connected";
  $("call-hangup").hidden = !live && !video.opening;
  $("call-redial").hidden = !(video.hungUp && video.session !== null && video.info?.consent !== false);
}

function qualityDetail(stats) {
  const parts = [];
  if (Number.isFinite(stats.rttMs)) parts.push(`RTT ${stats.rttMs} ms`);
  if (Number.isFinite(stats.lossPercent)) parts.push(`丢包 loss ${stats.lossPercent}%`);
  if (Number.isFinite(stats.fps)) parts.push(`${stats.fps} fps`);
  if (stats.candidateType) parts.push(stats.candidateType === "relay" ? "中继 relay" : `直连 direct (${stats.candidateType})`);
  return parts.join(" · ");
}

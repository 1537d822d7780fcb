// The offer's sound. Browsers play audio only after the page has been clicked, so every click
// that may lead to an offer (going available, accepting) unlocks it first.

let audio = null;

/** A short two-tone chime so an offer is noticed when eyes are elsewhere (needs a prior click). */
export function chime() {
  try {
    audio ??= new AudioContext();
    if (audio.state !== "running") return;
    const start = audio.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.18, 1175]]) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.18);
    }
  } catch {
    // no audio: the offer is still on screen
  }
}

export function unlockAudio() {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch {
    // ignore
  }
}

// Camera and microphone, and the test hook for peer connections.

/** camera and microphone; the microphone alone, or nothing, when that is all there is */
export async function localMedia(): Promise<MediaStream | undefined> {
  if (!navigator.mediaDevices?.getUserMedia) return undefined;
  const tries: MediaStreamConstraints[] = [
    { audio: { echoCancellation: true, noiseSuppression: true }, video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } } },
    { audio: true },
  ];
  for (const constraints of tries) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch {
      // no camera, or no permission: try with less
    }
  }
  return undefined;
}

export function stopMedia(stream: MediaStream | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

declare global {
  interface Window {
    /**
     * Browser tests define this (an empty object, before the app loads) to read the peer
     * connections' statistics; the app fills it only when it exists.
     */
    __pinokioPeers?: Record<string, RTCPeerConnection>;
  }
}

/** lists the connection of a consultation for a browser test, when one asked for it */
export function exposePeer(consultationId: string, pc: RTCPeerConnection | undefined): void {
  const registry = window.__pinokioPeers;
  if (!registry) return;
  if (pc) registry[consultationId] = pc;
  else delete registry[consultationId];
}

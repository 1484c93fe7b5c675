// A <video> showing a MediaStream. `muted` is the element's own (a waiting seat, or one's own
// camera); autoplay with sound may be refused before a first touch, so a refused play is retried
// muted and unmuted again on the next touch.
import { useEffect, useRef } from 'react';

interface Props {
  stream: MediaStream | undefined;
  muted: boolean;
  label: string;
  className?: string;
  /** one's own camera: mirrored, as people expect */
  mirrored?: boolean;
}

export function VideoView({ stream, muted, label, className, mirrored }: Props) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
  }, [stream]);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.muted = muted;
    if (!stream) return;
    let undo: (() => void) | undefined;
    video.play().catch(() => {
      if (muted) return;
      // autoplay with sound refused: play muted now, with sound after the next touch
      video.muted = true;
      void video.play().catch(() => undefined);
      const unmute = () => {
        video.muted = false;
        void video.play().catch(() => undefined);
      };
      window.addEventListener('pointerdown', unmute, { once: true, capture: true });
      undo = () => window.removeEventListener('pointerdown', unmute, { capture: true });
    });
    return () => undo?.();
  }, [stream, muted]);

  return <video ref={ref} className={`${className ?? ''}${mirrored ? ' video-mirrored' : ''}`} aria-label={label} autoPlay playsInline muted={muted} />;
}

// A QR code for a link (the digital receipt, a payment checkout), drawn as inline SVG: one path of
// dark squares on a white quiet zone, sharp at any size and in print. The qrcode package only
// computes the modules; nothing is fetched and nothing is injected as HTML.
import QRCode from 'qrcode';
import { useMemo } from 'react';

/** the four-module white margin the QR specification asks for around the code */
const QUIET_ZONE = 4;

export function ReceiptQr({ url, label, size = 240 }: { url: string; label: string; size?: number }) {
  const { path, extent } = useMemo(() => {
    // level M: survives a smudge or a fold in the paper, still few modules for a link of ~80 characters
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const squares: string[] = [];
    for (let row = 0; row < modules.size; row++) {
      for (let column = 0; column < modules.size; column++) {
        if (modules.get(row, column)) squares.push(`M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
      }
    }
    return { path: squares.join(''), extent: modules.size + QUIET_ZONE * 2 };
  }, [url]);
  return (
    <svg
      className="receipt-qr"
      role="img"
      aria-label={label}
      data-url={url}
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
    >
      <rect width={extent} height={extent} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}

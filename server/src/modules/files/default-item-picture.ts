// The picture of an item that has no photo of its own: a cup on a saucer, drawn in the brand-neutral
// colours of the kiosk. Built in, so it never depends on the storage being reachable.
export const DEFAULT_ITEM_PICTURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="640" height="640" role="img" aria-label="No photo">
  <rect width="200" height="200" fill="#f6efe6"/>
  <g fill="none" stroke="#a47551" stroke-width="5" stroke-linecap="round" stroke-linejoin="round">
    <path d="M84 44c-6 8 6 12 0 20M100 40c-6 8 6 12 0 20M116 44c-6 8 6 12 0 20" stroke="#c9a98a" stroke-width="4"/>
    <path d="M52 80h88v26c0 26-18 44-44 44s-44-18-44-44z" fill="#fffaf3"/>
    <path d="M140 90h6a16 16 0 0 1 0 32h-10"/>
    <path d="M36 160h120" />
    <path d="M56 160c8 8 72 8 80 0" fill="#fffaf3"/>
  </g>
</svg>
`;

// Who is in each photo of the evaluation set (see SOURCES.md beside this file). The photos are not
// stored here: they are cut at bench time out of files that ship in the project's fixtures and in
// the installed @vladmandic/human package (MIT). Identities and apparent genders are labelled by eye;
// ages only where known. A photo's `region` is the rectangle cut out of its file (in that file's
// pixels); without one the whole file is used.

export interface LabelledPhoto {
  /** same value = same person */
  person: string;
  /** 'fixtures/faces/…' (this repository) or 'human/assets/…' (@vladmandic/human's package) */
  file: string;
  region?: { left: number; top: number; width: number; height: number };
  gender?: 'female' | 'male';
  /** years, only where known */
  age?: number;
  note?: string;
}

// screenshot-facematch.jpg (1920x954): below the sample strip, a grid of 6 rows x 18 face tiles
// (about 107 x 112 px each), extracted by Human's face-match demo from its sample photos and sorted by
// similarity to the demo's selected face (the package author's). Tile n is row n / 18, column n % 18.
const tileRegion = (n: number) => {
  const row = Math.floor(n / 18);
  const column = n % 18;
  const left = Math.round((column * 1920) / 18);
  const top = 275 + row * 112;
  return { left, top, width: Math.min(106, 1920 - left), height: Math.min(112, 954 - top) };
};

/** the demo's selected man, seen in many different photos (tiles judged by eye) */
const authorTiles = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 18, 19];
/** tiles left out: men I could not tell from the author at this size (11, 15, 20, 21, 26), and women
 * who may or may not be one of the pairs below (27, 77, 78, 105), checked by eye after the bench's
 * --top-strangers listed them */
const unsureTiles = [11, 15, 20, 21, 26, 27, 77, 78, 105];
const maleTiles = new Set([22, 23, 26, 31, 33, 34, 36, 40, 41, 42, 43, 48, 55, 58, 69, 80, 84, 95, 96, 99]);
/** one person in more than one tile, judged by eye (the first two from the grid, the rest after the
 * bench's --top-strangers listed them among the closest "strangers") */
const sameAs: Record<number, number> = { 104: 86, 42: 41, 50: 30, 99: 84, 102: 72, 88: 37, 74: 37, 97: 56, 103: 98 };
/** tiles whose gender I could not judge */
const genderUnknown = new Set([83]);

const facematch = 'human/assets/screenshot-facematch.jpg';

export const labelledPhotos: LabelledPhoto[] = [
  // fixtures/faces (see its SOURCES.md)
  { person: 'webcam woman', file: 'fixtures/faces/woman_frame_a.jpg', gender: 'female' },
  { person: 'webcam woman', file: 'fixtures/faces/woman_frame_b.jpg', gender: 'female' },
  // Eileen Collins, born November 1956, in her NASA portrait of about 1998-1999
  { person: 'astronaut', file: 'fixtures/faces/astronaut.png', gender: 'female', age: 42, note: 'age from the portrait date, ±1' },
  { person: 'bearded man', file: 'fixtures/faces/bearded_man.jpg', gender: 'male' },
  { person: 'three men, left', file: 'fixtures/faces/three_men.jpg', region: { left: 0, top: 0, width: 200, height: 346 }, gender: 'male' },
  { person: 'three men, middle', file: 'fixtures/faces/three_men.jpg', region: { left: 200, top: 0, width: 200, height: 346 }, gender: 'male' },
  { person: 'three men, right', file: 'fixtures/faces/three_men.jpg', region: { left: 400, top: 0, width: 200, height: 346 }, gender: 'male' },
  // @vladmandic/human's assets: the author in his face-id demo's webcam frame, in the detail view of
  // the face-detect demo (the samples strip's faces are under 64 px: left out)
  { person: 'human author', file: 'human/assets/screenshot-faceid.jpg', region: { left: 10, top: 138, width: 150, height: 150 }, gender: 'male' },
  { person: 'human author', file: 'human/assets/screenshot-facedetect.jpg', region: { left: 5, top: 343, width: 155, height: 157 }, gender: 'male' },
  ...authorTiles.map((n): LabelledPhoto => ({ person: 'human author', file: facematch, region: tileRegion(n), gender: 'male', note: `tile ${n}` })),
  ...Array.from({ length: 108 }, (_, n) => n)
    .filter((n) => !authorTiles.includes(n) && !unsureTiles.includes(n))
    .map(
      (n): LabelledPhoto => ({
        person: `facematch tile ${sameAs[n] ?? n}`,
        file: facematch,
        region: tileRegion(n),
        gender: genderUnknown.has(n) ? undefined : maleTiles.has(n) ? 'male' : 'female',
        note: `tile ${n}`,
      }),
    ),
];
